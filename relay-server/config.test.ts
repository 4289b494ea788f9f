import { describe, expect, it } from 'vitest'
import { parseConfig, helpText } from './config.ts'

const config = (argv: string[], env: Record<string, string> = {}) => {
  const parsed = parseConfig(argv, env)
  if (parsed.help) throw new Error('unexpected help')
  return parsed.config
}

describe('relay configuration', () => {
  it('trusts no proxy by default, and takes a list of proxy addresses, refusing anything else by name', () => {
    expect(config([]).trustProxy).toEqual([])
    expect(config(['--trust-proxy', '10.0.0.5, ::1']).trustProxy).toEqual(['10.0.0.5', '::1'])
    expect(config([], { RELAY_TRUST_PROXY: '10.0.0.6' }).trustProxy).toEqual(['10.0.0.6'])
    expect(() => config(['--trust-proxy', '10.0.0.5,proxy.example'])).toThrow(/--trust-proxy must list IP addresses, got "proxy.example"/)
  })

  it('has working defaults that allow at least 128 reservations', () => {
    const c = config([])
    expect(c).toMatchObject({ host: '127.0.0.1', port: 8787, staticDir: 'dist' })
    expect(c.maxReservations).toBeGreaterThanOrEqual(128)
  })

  it('takes flags over environment variables over defaults', () => {
    expect(config([], { RELAY_PORT: '9000' }).port).toBe(9000)
    expect(config(['--port', '9100'], { RELAY_PORT: '9000' }).port).toBe(9100)
    expect(config(['--port=9200']).port).toBe(9200)
    expect(config(['--static-dir', '']).staticDir).toBeUndefined()
  })

  it('answers --help', () => {
    expect(parseConfig(['--help'], {})).toEqual({ help: true })
    expect(helpText()).toContain('--max-reservations')
  })

  const bad: Array<[string, string[], Record<string, string>, RegExp]> = [
    ['non-numeric port', ['--port', 'eighty'], {}, /--port must be a whole number, got "eighty"/],
    ['port out of range', [], { RELAY_PORT: '70000' }, /RELAY_PORT must be between 0 and 65535/],
    ['negative port', ['--port', '-1'], {}, /--port must be a whole number/],
    ['too few reservations', ['--max-reservations', '10'], {}, /--max-reservations must be between 128/],
    ['bad host', ['--host', 'bad host!'], {}, /--host must be a host name or IP address/],
    ['empty key file', ['--key-file', ''], {}, /--key-file must name a file/],
    ['unknown flag', ['--colour', 'red'], {}, /unknown option "--colour"/],
    ['flag without value', ['--port'], {}, /--port needs a value/],
    ['no reservations per address', ['--max-reservations-per-address', '0'], {}, /--max-reservations-per-address must be between 1/],
    ['tiny data limit', ['--relay-data-limit', '5'], {}, /--relay-data-limit must be between 65536/],
  ]
  for (const [label, argv, env, message] of bad) {
    it(`refuses ${label} with a clear message`, () => {
      expect(() => parseConfig(argv, env)).toThrowError(message)
      expect(() => parseConfig(argv, env)).toThrowError(expect.objectContaining({ name: 'ConfigError' }))
    })
  }
})
