import { describe, expect, it } from 'vitest'
import { clientAddressOf } from './forwarded-for.ts'

const proxy = new Set(['10.0.0.5'])

describe("the client's address behind a proxy", () => {
  it('believes X-Forwarded-For only from a trusted proxy', () => {
    expect(clientAddressOf('10.0.0.5', '203.0.113.7', proxy)).toBe('203.0.113.7')
    expect(clientAddressOf('198.51.100.9', '203.0.113.7', proxy)).toBe('198.51.100.9')
    expect(clientAddressOf('10.0.0.5', undefined, proxy)).toBe('10.0.0.5')
  })

  it('takes the rightmost address the trusted proxy wrote, not one the client made up before it', () => {
    // the client sent "1.2.3.4" itself; the proxy appended the address it saw
    expect(clientAddressOf('10.0.0.5', '1.2.3.4, 203.0.113.7', proxy)).toBe('203.0.113.7')
    // two trusted proxies in a row
    expect(clientAddressOf('10.0.0.5', '1.2.3.4, 203.0.113.7, 10.0.0.6', new Set(['10.0.0.5', '10.0.0.6']))).toBe('203.0.113.7')
    expect(clientAddressOf('10.0.0.5', ['1.2.3.4', '203.0.113.7'], proxy)).toBe('203.0.113.7')
  })

  it('keeps the connection’s own address when the header is not an address', () => {
    expect(clientAddressOf('10.0.0.5', 'unknown', proxy)).toBe('10.0.0.5')
    expect(clientAddressOf('10.0.0.5', '', proxy)).toBe('10.0.0.5')
  })
})
