import type { Connection } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'
import { connectionPath } from './connection-path.ts'

/** Where the direct link to a peer stands while a relayed connection carries the traffic. */
export interface DirectLinkStatus {
  state: 'trying' | 'up' | 'failed'
  /** Why the last attempt failed, in words. */
  why: string | undefined
  /** When the next attempt is due, while failed. */
  retryAt: number | undefined
  attempts: number
}

export interface DirectUpgradeDeps {
  /** Dials the peer's WebRTC address (signalled over the relayed connection). */
  dial(address: Multiaddr, signal: AbortSignal): Promise<Connection>
  log(message: string, err: unknown): void
  /** Counts a failure by its cause, for the network view. */
  failed(cause: string): void
  /**
   * How long the first attempt waits after the relayed connection is proven:
   * the handshake's followers (space sync, trust) go first, unslowed by WebRTC
   * set-up beside them on the same CPU. Someone waiting for the link (a
   * transfer: `direct` or `hurry`) ends the wait at once. 0 when not given.
   */
  settleMs?: number
}

export interface DirectUpgradeEvents {
  change: []
  /** A direct link to the peer is open. */
  up: [peerId: string, connection: Connection]
}

/** An attempt that takes longer than this counts as failed: on one machine or LAN a link takes about a second. */
export const UPGRADE_TIMEOUT_MS = 10_000
const RETRY_MIN_MS = 20_000
const RETRY_MAX_MS = 5 * 60_000

interface Upgrade {
  status: DirectLinkStatus
  address: Multiaddr
  relayed: Connection
  timer: ReturnType<typeof setTimeout> | undefined
  /** Settles when the current attempt ends: with the direct link, or undefined. */
  attempt: Promise<Connection | undefined> | undefined
  /** Ends the first attempt's wait for the relayed connection to settle, while it waits. */
  hurry: (() => void) | undefined
}

/**
 * Moves traffic from a relayed connection to a direct WebRTC link. The
 * dialling side tries at once; a failure is kept with its reason and tried
 * again with backoff (20 s doubling to 5 min) while the relayed connection
 * stays, so a failing upgrade never becomes a loop of dropped connections.
 */
export class DirectUpgrades {
  readonly #deps: DirectUpgradeDeps
  readonly #events = new Emitter<DirectUpgradeEvents>()
  readonly #upgrades = new Map<string, Upgrade>()
  #stopped = false

  constructor(deps: DirectUpgradeDeps) {
    this.#deps = deps
  }

  on<K extends keyof DirectUpgradeEvents>(name: K, listener: (...args: DirectUpgradeEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  status(peerId: string): DirectLinkStatus | undefined {
    const upgrade = this.#upgrades.get(peerId)
    return upgrade === undefined ? undefined : { ...upgrade.status }
  }

  /** Starts upgrading the relayed connection to `peerId` through `address`, unless already under way. */
  start(peerId: string, relayed: Connection, address: Multiaddr): void {
    const known = this.#upgrades.get(peerId)
    if (known !== undefined && known.relayed.status === 'open' && known.status.state !== 'failed') return
    if (known !== undefined) {
      // a new relayed connection after the last one ended: keep the backoff, not the old connection
      known.relayed = relayed
      known.address = address
      if (known.timer !== undefined) return
    }
    const upgrade = known ?? {
      status: { state: 'trying', why: undefined, retryAt: undefined, attempts: 0 },
      address,
      relayed,
      timer: undefined,
      attempt: undefined,
      hurry: undefined,
    }
    this.#upgrades.set(peerId, upgrade)
    this.#try(peerId, upgrade)
  }

  /** Someone needs the link now: the first attempt stops yielding to the relayed connection's first traffic. */
  hurry(peerId: string): void {
    this.#upgrades.get(peerId)?.hurry?.()
  }

  /**
   * The direct link once it is up: waits for the attempt under way (at most
   * `waitMs`), and says undefined when there is none or it failed.
   */
  async direct(peerId: string, waitMs: number, signal?: AbortSignal): Promise<Connection | undefined> {
    const attempt = this.#upgrades.get(peerId)?.attempt
    if (attempt === undefined) return undefined
    this.hurry(peerId)
    let timer: ReturnType<typeof setTimeout> | undefined
    const timeout = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), waitMs)
      signal?.addEventListener('abort', () => resolve(undefined), { once: true })
    })
    try {
      return await Promise.race([attempt, timeout])
    } finally {
      clearTimeout(timer)
    }
  }

  /** The relayed connection ended: no retries on it (the backoff is kept for the next one). */
  relayedClosed(peerId: string, connection: Connection): void {
    const upgrade = this.#upgrades.get(peerId)
    if (upgrade?.relayed !== connection) return
    clearTimeout(upgrade.timer)
    upgrade.timer = undefined
    upgrade.status.retryAt = undefined
    if (upgrade.status.state === 'up') this.#upgrades.delete(peerId)
    this.#events.emit('change')
  }

  stop(): void {
    this.#stopped = true
    for (const upgrade of this.#upgrades.values()) clearTimeout(upgrade.timer)
  }

  #try(peerId: string, upgrade: Upgrade): void {
    upgrade.timer = undefined
    upgrade.status = { ...upgrade.status, state: 'trying', retryAt: undefined, attempts: upgrade.status.attempts + 1 }
    upgrade.attempt = this.#attempt(peerId, upgrade)
    // after the attempt began: a listener may hurry it
    this.#events.emit('change')
  }

  async #attempt(peerId: string, upgrade: Upgrade): Promise<Connection | undefined> {
    const settleMs = this.#deps.settleMs ?? 0
    if (upgrade.status.attempts === 1 && settleMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, settleMs)
        upgrade.hurry = () => {
          clearTimeout(timer)
          resolve()
        }
      })
      upgrade.hurry = undefined
      if (this.#stopped || upgrade.relayed.status !== 'open') {
        // nothing to upgrade any more, and no failure to remember
        if (this.#upgrades.get(peerId) === upgrade) this.#upgrades.delete(peerId)
        this.#events.emit('change')
        return undefined
      }
    }
    try {
      const connection = await this.#deps.dial(upgrade.address, AbortSignal.timeout(UPGRADE_TIMEOUT_MS))
      if (connectionPath(connection) !== 'direct-webrtc') throw new Error('the dial returned no direct link')
      upgrade.status = { state: 'up', why: undefined, retryAt: undefined, attempts: upgrade.status.attempts }
      this.#events.emit('change')
      this.#events.emit('up', peerId, connection)
      return connection
    } catch (err) {
      this.#deps.log(`a direct link to ${peerId} failed`, err)
      const delay = Math.min(RETRY_MIN_MS * 2 ** (upgrade.status.attempts - 1), RETRY_MAX_MS)
      const why = upgradeFailure(err)
      this.#deps.failed(`Direct link: ${why}.`)
      const retry = !this.#stopped && upgrade.relayed.status === 'open'
      upgrade.status = {
        state: 'failed',
        why,
        retryAt: retry ? Date.now() + delay : undefined,
        attempts: upgrade.status.attempts,
      }
      if (retry) upgrade.timer = setTimeout(() => this.#try(peerId, upgrade), delay)
      this.#events.emit('change')
      return undefined
    }
  }
}

/** Why a WebRTC link did not come up, for a person. */
export function upgradeFailure(err: unknown): string {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined
  const message = err instanceof Error ? err.message : ''
  if (name === 'TimeoutError' || name === 'AbortError') return `ICE checks timed out after ${UPGRADE_TIMEOUT_MS / 1000} s`
  if (/ice/i.test(message)) return 'ICE checks failed: no network path between the two browsers'
  if (name === 'SDPHandshakeFailedError') return 'the browsers could not agree a session'
  return message === '' ? 'the link could not be set up' : message
}
