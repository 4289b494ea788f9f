import { describe, expect, it } from 'vitest'
import { ConnectionLimits } from './connection-limits.ts'

describe('connection limits per address', () => {
  it('lets a burst of twice the rate in, then one per 1/rate seconds', () => {
    const limits = new ConnectionLimits({ perSecond: 5, openPerAddress: 1000 })
    const t = 1_000_000
    const admitted = Array.from({ length: 15 }, () => limits.admit('10.0.0.1', t)).filter((r) => r === undefined).length
    expect(admitted).toBe(10)
    expect(limits.admit('10.0.0.1', t)).toBe('connection-rate')
    expect(limits.admit('10.0.0.1', t + 200)).toBeUndefined()
    expect(limits.admit('10.0.0.1', t + 200)).toBe('connection-rate')
    // another address has its own bucket
    expect(limits.admit('10.0.0.2', t)).toBeUndefined()
  })

  it('holds an address to its number of open connections, and frees a place when one closes', () => {
    const limits = new ConnectionLimits({ perSecond: 1000, openPerAddress: 3 })
    for (let i = 0; i < 3; i++) expect(limits.admit('10.0.0.1', i)).toBeUndefined()
    expect(limits.admit('10.0.0.1', 10)).toBe('connections-per-address')
    limits.closed('10.0.0.1')
    expect(limits.admit('10.0.0.1', 20)).toBeUndefined()
  })
})
