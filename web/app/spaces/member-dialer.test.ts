import { afterEach, describe, expect, it, vi } from 'vitest'
import type { Connection } from '@libp2p/interface'
import { MemberDialer, QUICK_RETRY_MIN_MS, QUICK_RETRY_WINDOW_MS } from './member-dialer.ts'
import type { OpenSpace } from './open-space.ts'

/** Just what the dialer reads of a space: the addresses it carries and its record. */
const space = {
  addresses: new Map([['did:key:bob', '/bob-address']]),
  record: { id: 'space-1', owner: 'did:key:ann', ownerAddress: undefined },
} as unknown as OpenSpace

function dialer(outcomes: boolean[]) {
  const dialled: string[] = []
  const joined: string[] = []
  const connected = new Set<string>()
  const rounds = { count: 0 }
  const d = new MemberDialer({
    connectionsOf: (did) => (connected.has(did) ? [{ id: did } as unknown as Connection] : []),
    connect: async (address) => {
      dialled.push(address)
      await new Promise((r) => setTimeout(r, 5))
      if (outcomes.shift() !== true) throw new Error('unreachable')
      connected.add('did:key:bob')
      return { id: 'c' } as unknown as Connection
    },
    join: async (connection) => {
      joined.push(connection.id)
      await Promise.resolve()
    },
    again: () => rounds.count++,
  })
  return { d, dialled, joined, rounds, connected }
}

describe('member dialer', () => {
  afterEach(() => vi.useRealTimers())

  it('dials a member once at a time, backs off after a failure, and tries at once after a reset', async () => {
    const { d, dialled } = dialer([false, true])
    await Promise.all([d.reach(space, 'did:key:bob'), d.reach(space, 'did:key:bob')])
    expect(dialled).toEqual(['/bob-address'])
    await d.reach(space, 'did:key:bob')
    expect(dialled).toHaveLength(1)
    d.reset()
    await d.reach(space, 'did:key:bob')
    expect(dialled).toHaveLength(2)
  })

  it('right after the network is back, tries a failed dial again within 250 ms, doubling, and after the window from 3 s', async () => {
    vi.useFakeTimers()
    const { d, dialled, rounds } = dialer([false, false, false, false, false, false, false, false])
    d.reset()
    const waits: number[] = []
    for (let i = 0; i < 4; i++) {
      const before = rounds.count
      const reached = d.reach(space, 'did:key:bob')
      await vi.advanceTimersByTimeAsync(5)
      await reached
      const started = Date.now()
      for (let t = 0; rounds.count === before && t < 10_000; t++) await vi.advanceTimersByTimeAsync(1)
      waits.push(Date.now() - started)
    }
    expect(waits).toEqual([QUICK_RETRY_MIN_MS, 500, 1_000, 2_000])
    expect(dialled).toHaveLength(4)
    // past the window: the usual backoff, and no round of its own
    await vi.advanceTimersByTimeAsync(QUICK_RETRY_WINDOW_MS)
    const before = rounds.count
    const reached = d.reach(space, 'did:key:bob')
    await vi.advanceTimersByTimeAsync(5)
    await reached
    await vi.advanceTimersByTimeAsync(60_000)
    expect(rounds.count).toBe(before)
  })

  it('does not join over a connection its own dial is still opening (that would sync twice)', async () => {
    const { d, dialled, joined, connected } = dialer([true])
    const dialling = d.reach(space, 'did:key:bob')
    // the connection is open (and proven) before the dial returns: a round now must leave it to the dial
    connected.add('did:key:bob')
    await d.reach(space, 'did:key:bob')
    await dialling
    expect(dialled).toEqual(['/bob-address'])
    expect(joined).toEqual(['did:key:bob'])
  })

  it('does not dial a member with no known address', async () => {
    const { d, dialled } = dialer([true])
    await d.reach(space, 'did:key:cy')
    expect(dialled).toEqual([])
  })
})
