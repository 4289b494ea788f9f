import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '@libp2p/interface'
import { DirectUpgrades, upgradeFailure } from './direct-upgrade.ts'

const RELAY = '/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWDwpvLKg3WjtpesWnDjMaSQerdkaCXSbqSWQsH5BSFhaz'
const PEER = '12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'
const WEBRTC = multiaddr(`${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`)

const relayed = (): Connection =>
  ({ status: 'open', limits: { bytes: 1n << 24n }, remoteAddr: multiaddr(`${RELAY}/p2p-circuit/p2p/${PEER}`) }) as unknown as Connection
const direct = { status: 'open', limits: undefined, remoteAddr: WEBRTC } as unknown as Connection
const iceTimeout = (): DOMException => new DOMException('signal timed out', 'TimeoutError')

/** Upgrades whose first attempt waits 1 s for the relayed connection to settle, every dial succeeding. */
function settling(): { dial: ReturnType<typeof vi.fn<() => Promise<Connection>>>; upgrades: DirectUpgrades } {
  const dial = vi.fn(async () => await Promise.resolve(direct))
  return { dial, upgrades: new DirectUpgrades({ dial, log: () => {}, failed: () => {}, settleMs: 1_000 }) }
}

describe('moving a relayed connection to a direct link', () => {
  beforeEach(() => vi.useFakeTimers())
  afterEach(() => vi.useRealTimers())

  it('tries at once and says when the link is up', async () => {
    const upgrades = new DirectUpgrades({ dial: async () => await Promise.resolve(direct), log: () => {}, failed: () => {} })
    const up = vi.fn()
    upgrades.on('up', up)
    upgrades.start(PEER, relayed(), WEBRTC)
    expect(await upgrades.direct(PEER, 1_000)).toBe(direct)
    expect(up).toHaveBeenCalledWith(PEER, direct)
    expect(upgrades.status(PEER)).toMatchObject({ state: 'up', attempts: 1 })
  })

  it('a failed link keeps its reason and is retried after 20, 40, 80 s while the relayed connection stays; never at once', async () => {
    const dial = vi.fn(async () => await Promise.reject(iceTimeout()))
    const upgrades = new DirectUpgrades({ dial, log: () => {}, failed: () => {} })
    upgrades.start(PEER, relayed(), WEBRTC)
    expect(await upgrades.direct(PEER, 1_000)).toBeUndefined()
    const delays: number[] = []
    for (let i = 0; i < 3; i++) {
      const status = upgrades.status(PEER)
      expect(status).toMatchObject({ state: 'failed', why: 'ICE checks timed out after 10 s' })
      delays.push((status?.retryAt as number) - Date.now())
      await vi.advanceTimersByTimeAsync((status?.retryAt as number) - Date.now() - 1)
      expect(dial).toHaveBeenCalledTimes(i + 1)
      await vi.advanceTimersByTimeAsync(1)
    }
    expect(delays).toEqual([20_000, 40_000, 80_000])
    expect(dial).toHaveBeenCalledTimes(4)
  })

  it('stops retrying when the relayed connection ends, and keeps its backoff for the next one', async () => {
    const dial = vi.fn(async () => await Promise.reject(new Error('ICE failed')))
    const upgrades = new DirectUpgrades({ dial, log: () => {}, failed: () => {} })
    const first = relayed()
    upgrades.start(PEER, first, WEBRTC)
    await vi.advanceTimersByTimeAsync(0)
    upgrades.relayedClosed(PEER, first)
    await vi.advanceTimersByTimeAsync(10 * 60_000)
    expect(dial).toHaveBeenCalledTimes(1)
    expect(upgrades.status(PEER)).toMatchObject({
      state: 'failed',
      retryAt: undefined,
      why: 'ICE checks failed: no network path between the two browsers',
    })
    upgrades.start(PEER, relayed(), WEBRTC)
    await vi.advanceTimersByTimeAsync(0)
    expect(dial).toHaveBeenCalledTimes(2)
    expect((upgrades.status(PEER)?.retryAt as number) - Date.now()).toBe(40_000)
  })

  it('lets the first attempt wait for the relayed connection to settle, and drops it when that connection ends meanwhile', async () => {
    const { dial, upgrades } = settling()
    upgrades.start(PEER, relayed(), WEBRTC)
    await vi.advanceTimersByTimeAsync(999)
    expect(dial).not.toHaveBeenCalled()
    expect(upgrades.status(PEER)?.state).toBe('trying')
    await vi.advanceTimersByTimeAsync(1)
    expect(dial).toHaveBeenCalledTimes(1)
    expect(upgrades.status(PEER)?.state).toBe('up')

    const other = '12D3KooWHFrmLWTTDD4NodngtRMEVYzaxwsLsBJbqrwAkHmJyAz5'
    const gone = { ...relayed(), status: 'open' } as { status: string } & Connection
    upgrades.start(other, gone, WEBRTC)
    gone.status = 'closed'
    upgrades.relayedClosed(other, gone)
    await vi.advanceTimersByTimeAsync(1_000)
    expect(dial).toHaveBeenCalledTimes(1)
    expect(upgrades.status(other)).toBeUndefined()
  })

  it('ends the wait to settle when a transfer asks for the link', async () => {
    const { dial, upgrades } = settling()
    upgrades.start(PEER, relayed(), WEBRTC)
    await vi.advanceTimersByTimeAsync(100)
    expect(dial).not.toHaveBeenCalled()
    const link = upgrades.direct(PEER, 5_000)
    await vi.advanceTimersByTimeAsync(0)
    expect(dial).toHaveBeenCalledTimes(1)
    expect(await link).toBe(direct)
    // the settle's own timer, ended early, starts no second attempt
    await vi.advanceTimersByTimeAsync(2_000)
    expect(dial).toHaveBeenCalledTimes(1)
  })

  it('can be hurried from the moment it starts, by a listener waiting for it', async () => {
    const { dial, upgrades } = settling()
    upgrades.on('change', () => upgrades.hurry(PEER))
    upgrades.start(PEER, relayed(), WEBRTC)
    await vi.advanceTimersByTimeAsync(0)
    expect(dial).toHaveBeenCalledTimes(1)
    expect(upgrades.status(PEER)?.state).toBe('up')
  })

  it('words failures for a person', () => {
    expect(upgradeFailure(new DOMException('aborted', 'AbortError'))).toBe('ICE checks timed out after 10 s')
    expect(upgradeFailure(Object.assign(new Error('x'), { name: 'SDPHandshakeFailedError' }))).toBe(
      'the browsers could not agree a session',
    )
    expect(upgradeFailure('?')).toBe('the link could not be set up')
  })
})
