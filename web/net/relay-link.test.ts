import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { RelayLink, type RelayLinkDeps } from './relay-link.ts'

const R1 = multiaddr('/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWDwpvLKg3WjtpesWnDjMaSQerdkaCXSbqSWQsH5BSFhaz')

function deps(patch: Partial<RelayLinkDeps> = {}) {
  const dial = vi.fn(patch.dial ?? (async () => await Promise.resolve()))
  const reserve = vi.fn(patch.reserve ?? (async () => await Promise.resolve(true)))
  const d: RelayLinkDeps = { mayDial: () => true, log: () => {}, failed: () => {}, ...patch, dial, reserve }
  return Object.assign(d, { dialSpy: dial, reserveSpy: reserve })
}

describe('one relay link', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('connects and holds a reservation; lost, it redials with backoff from 1 s and reserves again', async () => {
    const d = deps()
    const link = new RelayLink(R1, 'served', d)
    await link.connect()
    expect(link.status()).toMatchObject({ state: 'connected', reservation: 'held', peerId: R1.getComponents().at(-1)?.value })
    link.lost()
    expect(link.status()).toMatchObject({ state: 'disconnected', reservation: 'none', lastError: 'The connection to the relay closed.' })
    expect(link.status().retryAt).toBe(Date.now() + 1_000)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(d.dialSpy).toHaveBeenCalledTimes(2)
    expect(d.reserveSpy).toHaveBeenCalledTimes(2)
    expect(link.status()).toMatchObject({ state: 'connected', reservation: 'held', lastError: undefined })
  })

  it('backs off 1, 2, 4, 8, 8 s while the relay stays down, saying why in a sentence', async () => {
    // a failed WebSocket rejects with a bare Event, not an Error
    // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors
    const d = deps({ dial: async () => await Promise.reject(new Event('error')) })
    const link = new RelayLink(R1, 'served', d)
    await link.connect()
    const delays: number[] = []
    for (let i = 0; i < 5; i++) {
      const at = link.status().retryAt as number
      delays.push(at - Date.now())
      await vi.advanceTimersByTimeAsync(at - Date.now())
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 8_000])
    expect(link.status().lastError).toBe('The relay could not be reached: it may be stopped, or the network is down.')
  })

  it('asks again for a refused reservation with backoff from 2 s, and once more when a held one ends', async () => {
    let grant = false
    const d = deps({ reserve: async () => await Promise.resolve(grant) })
    const link = new RelayLink(R1, 'added', d)
    await link.connect()
    expect(link.status().reservation).toBe('refused')
    expect(link.status().retryAt).toBe(Date.now() + 2_000)
    grant = true
    await vi.advanceTimersByTimeAsync(2_000)
    expect(link.status().reservation).toBe('held')
    link.reservationEnded()
    await vi.advanceTimersByTimeAsync(0)
    expect(d.reserveSpy).toHaveBeenCalledTimes(3)
  })

  it('waits in standby while enough other relays serve, and dials when woken with room', async () => {
    let room = false
    const d = deps({ mayDial: () => room })
    const link = new RelayLink(R1, 'configured', d)
    await link.connect()
    expect(link.status().state).toBe('standby')
    expect(d.dialSpy).not.toHaveBeenCalled()
    room = true
    await link.connect()
    expect(link.status().state).toBe('connected')
  })

  it('paused (offline), it does not redial by itself', async () => {
    const d = deps()
    const link = new RelayLink(R1, 'served', d)
    await link.connect()
    link.pause()
    await vi.advanceTimersByTimeAsync(60_000)
    expect(d.dialSpy).toHaveBeenCalledTimes(1)
    expect(link.status()).toMatchObject({ state: 'disconnected', retryAt: undefined })
  })
})
