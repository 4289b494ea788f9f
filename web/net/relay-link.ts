import type { Multiaddr } from '@multiformats/multiaddr'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

/** How this browser stands with one relay. 'standby': known, not dialled while enough others serve. */
export type RelayState = 'none' | 'connecting' | 'connected' | 'disconnected' | 'standby'

/** Whether the relay holds an address for this browser: what lets others reach it. */
export type ReservationState = 'none' | 'reserving' | 'held' | 'refused'

/** Where the app learnt of a relay: the server that served it, the build's list, or the person. */
export type RelayOrigin = 'served' | 'configured' | 'added'

export interface RelayStatus {
  address: string
  peerId: string
  origin: RelayOrigin
  state: RelayState
  reservation: ReservationState
  /** Why the relay was last lost or not reached, in a sentence. */
  lastError: string | undefined
  /** When the next attempt to reach it (or to get a reservation) is due. */
  retryAt: number | undefined
}

/** What a link needs of the node, so it can be driven by a test. */
export interface RelayLinkDeps {
  dial(relay: Multiaddr, signal: AbortSignal): Promise<unknown>
  reserve(relay: Multiaddr): Promise<boolean>
  /** Whether the link may dial now: online, not stopped, and fewer relays serving than wanted. */
  mayDial(link: RelayLink): boolean
  log(message: string, err: unknown): void
  /** Counts a failure by its cause, for the network view. */
  failed(cause: string): void
}

const RETRY_MIN_MS = 1_000
// short enough that a relay back from a restart is found again within seconds
const RETRY_MAX_MS = 8_000
const RESERVE_RETRY_MIN_MS = 2_000
const RESERVE_RETRY_MAX_MS = 30_000
const DIAL_TIMEOUT_MS = 10_000

export interface RelayLinkEvents {
  change: []
}

/**
 * One relay: keeps it connected (redialling with backoff when lost) and keeps
 * a reservation on it (asking again with backoff while refused, and anew after
 * it restarts: js-libp2p does not, issue 3601).
 */
export class RelayLink {
  readonly address: Multiaddr
  readonly peerId: string
  readonly origin: RelayOrigin
  readonly #deps: RelayLinkDeps
  readonly #events = new Emitter<RelayLinkEvents>()
  #state: RelayState = 'standby'
  #reservation: ReservationState = 'none'
  #lastError: string | undefined
  #retryMs = RETRY_MIN_MS
  #reserveRetryMs = RESERVE_RETRY_MIN_MS
  #timer: ReturnType<typeof setTimeout> | undefined
  #retryAt: number | undefined
  #closed = false

  constructor(address: Multiaddr, origin: RelayOrigin, deps: RelayLinkDeps) {
    this.address = address
    this.peerId = address.getComponents().findLast((c) => c.name === 'p2p')?.value ?? ''
    this.origin = origin
    this.#deps = deps
  }

  on<K extends keyof RelayLinkEvents>(name: K, listener: (...args: RelayLinkEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  status(): RelayStatus {
    return {
      address: this.address.toString(),
      peerId: this.peerId,
      origin: this.origin,
      state: this.#state,
      reservation: this.#reservation,
      lastError: this.#lastError,
      retryAt: this.#retryAt,
    }
  }

  /** Connected or on the way: counts toward the relays wanted. */
  busy(): boolean {
    return this.#state === 'connected' || this.#state === 'connecting'
  }

  /** Dials now if allowed, else waits in standby until woken. */
  async connect(): Promise<void> {
    if (this.#closed || this.busy()) return
    this.#clearTimer()
    if (!this.#deps.mayDial(this)) {
      this.#set('standby')
      return
    }
    this.#set('connecting')
    try {
      await this.#deps.dial(this.address, AbortSignal.timeout(DIAL_TIMEOUT_MS))
    } catch (err) {
      this.#lastError = relayFailure(err)
      this.#deps.failed(this.#lastError)
      this.lost()
      return
    }
    if (this.#closed || this.#state !== 'connecting') return
    this.#lastError = undefined
    this.#retryMs = RETRY_MIN_MS
    this.#reserveRetryMs = RESERVE_RETRY_MIN_MS
    this.#set('connected')
    await this.reserve()
  }

  /** Makes sure the relay holds an address for this browser, asking again with backoff while it refuses. */
  async reserve(): Promise<void> {
    if (this.#closed || this.#state !== 'connected' || this.#reservation === 'reserving') return
    this.#clearTimer()
    this.#reservation = 'reserving'
    this.#changed()
    let held = false
    try {
      held = await this.#deps.reserve(this.address)
    } catch (err) {
      this.#deps.log('asking the relay for a reservation failed', err)
    }
    if (this.#closed || this.#state !== 'connected') return
    this.#reservation = held ? 'held' : 'refused'
    if (held) {
      this.#reserveRetryMs = RESERVE_RETRY_MIN_MS
      this.#retryAt = undefined
    } else {
      this.#deps.failed('The relay refused a reservation.')
      this.#schedule(this.#reserveRetryMs, () => void this.reserve())
      this.#reserveRetryMs = Math.min(this.#reserveRetryMs * 2, RESERVE_RETRY_MAX_MS)
    }
    this.#changed()
  }

  /** The reservation was seen to end while the relay stayed: ask again. */
  reservationEnded(): void {
    if (this.#reservation === 'held') void this.reserve()
  }

  /** The connection to the relay closed (or a dial failed): redial with backoff. */
  lost(): void {
    if (this.#closed || this.#state === 'disconnected' || this.#state === 'standby') return
    this.#state = 'disconnected'
    this.#reservation = 'none'
    this.#lastError ??= 'The connection to the relay closed.'
    this.#schedule(this.#retryMs, () => void this.connect())
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS)
    this.#changed()
  }

  /** Cut by the person (offline) or the app: no redial until connect() is called. */
  pause(): void {
    this.#clearTimer()
    this.#state = 'disconnected'
    this.#reservation = 'none'
    this.#retryMs = RETRY_MIN_MS
    this.#changed()
  }

  close(): void {
    this.#closed = true
    this.#clearTimer()
  }

  #schedule(ms: number, run: () => void): void {
    this.#clearTimer()
    this.#retryAt = Date.now() + ms
    this.#timer = setTimeout(run, ms)
  }

  #clearTimer(): void {
    clearTimeout(this.#timer)
    this.#timer = undefined
    this.#retryAt = undefined
  }

  #set(state: RelayState): void {
    this.#state = state
    this.#changed()
  }

  #changed(): void {
    this.#events.emit('change')
  }
}

/**
 * Why a relay could not be reached, as a sentence. A failed WebSocket
 * rejects with a bare Event, whose text is "[object Event]".
 */
export function relayFailure(err: unknown): string {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined
  if (name === 'TimeoutError' || name === 'AbortError') return 'The relay did not answer within 10 seconds.'
  return 'The relay could not be reached: it may be stopped, or the network is down.'
}
