import type { Connection, Logger, PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import type { BrowserNode } from './browser-node.ts'
import { connectionPath, directConnection, type ConnectionPath } from './connection-path.ts'
import { InvalidPeerAddressError, NoDirectLinkError } from './errors.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

export interface PeerLink {
  path: ConnectionPath
  remoteAddr: string
  openedAt: number
}

export interface PeerStatus {
  peerId: string
  links: PeerLink[]
  /** The DID this peer proved on one of its connections, and the name it gave. */
  did: string | undefined
  name: string | undefined
}

export type RelayState = 'none' | 'connecting' | 'connected' | 'disconnected'

/** Whether the relay holds an address for this browser: what lets others reach it. */
export type ReservationState = 'none' | 'reserving' | 'held' | 'refused'

export interface NetworkStatus {
  peerId: string
  relay: {
    state: RelayState
    address: string | undefined
    /** Why the relay was last lost or not reached, in a sentence. */
    lastError: string | undefined
    /** When the next attempt to reach it (or to get a reservation) is due. */
    retryAt: number | undefined
  }
  reservation: ReservationState
  /**
   * Where others reach us: our WebRTC address through the relay. Kept after
   * the relay goes away: peers with a direct link still reach us by it, and
   * the same relay gives back the same address when it returns.
   */
  shareAddress: string | undefined
  /** Whether the relay currently holds a reservation for that address. */
  shareAddressLive: boolean
  peers: PeerStatus[]
  /** Everyone who ever proved a DID to us: the peer book. */
  met: MetPeer[]
  /** The in-app switch: while offline nothing connects, in or out. */
  offline: boolean
}

export interface MetPeer {
  did: string
  name: string
  peerIds: string[]
  lastSeen: number
  status: 'authenticated' | 'refused'
}

const RETRY_MIN_MS = 1_000
// short enough that a relay back from a restart is found again within seconds
const RETRY_MAX_MS = 8_000
const RESERVE_RETRY_MIN_MS = 2_000
const RESERVE_RETRY_MAX_MS = 30_000
const DIRECT_LINK_TIMEOUT_MS = 20_000

/**
 * Keeps the relay connected (retrying with backoff) and reports every
 * connection with the path it takes, so the UI can explain it.
 */
export interface NetworkEvents {
  /** The relay, a connection, a reservation or the peer book changed: read status() again. */
  change: []
}

export class Network {
  readonly #node: BrowserNode
  readonly #relay: Multiaddr | undefined
  readonly #events = new Emitter<NetworkEvents>()
  /** Undoes this object's own subscriptions, at stop. */
  readonly #unlisten: Array<() => void> = []
  #relayState: RelayState
  #lastError: string | undefined
  #retryMs = RETRY_MIN_MS
  #retryTimer: ReturnType<typeof setTimeout> | undefined
  #retryAt: number | undefined
  #reservation: ReservationState = 'none'
  #reserveRetryMs = RESERVE_RETRY_MIN_MS
  #reserveTimer: ReturnType<typeof setTimeout> | undefined
  #stopped = false
  #status: NetworkStatus
  #lastShareAddress: string | undefined
  readonly #offline: { value: boolean }
  readonly #log: Logger

  /** `offline` is shared with the node's connection gater. */
  constructor(node: BrowserNode, relay: Multiaddr | undefined, relayError?: string, offline: { value: boolean } = { value: false }) {
    this.#node = node
    this.#log = node.logger.forComponent('cas-disot:network')
    this.#offline = offline
    this.#relay = relay
    this.#relayState = relay === undefined ? 'none' : 'connecting'
    this.#lastError = relayError
    this.#status = this.#compute()
    const update = (): void => this.#changed()
    const closed = (event: CustomEvent<Connection>): void => {
      if (this.#isRelay(event.detail.remotePeer)) this.#relayLost()
      update()
    }
    const selfUpdated = (): void => {
      // a reservation that ended while the relay stayed (expired, refused on refresh) is asked for again
      if (this.#reservation === 'held' && !this.#reservationHeld()) void this.#reserve()
      update()
    }
    node.addEventListener('connection:open', update)
    node.addEventListener('connection:close', closed)
    node.addEventListener('self:peer:update', selfUpdated)
    this.#unlisten.push(
      () => node.removeEventListener('connection:open', update),
      () => node.removeEventListener('connection:close', closed),
      () => node.removeEventListener('self:peer:update', selfUpdated),
      node.services.peerAuth.on('change', update),
    )
  }

  start(): void {
    void this.#dialRelay()
  }

  isOffline(): boolean {
    return this.#offline.value
  }

  /** Cuts every connection and refuses new ones (true), or reconnects to the relay (false). */
  async setOffline(offline: boolean): Promise<void> {
    this.#offline.value = offline
    clearTimeout(this.#retryTimer)
    clearTimeout(this.#reserveTimer)
    this.#retryAt = undefined
    if (offline) {
      this.#relayState = this.#relay === undefined ? 'none' : 'disconnected'
      this.#reservation = 'none'
      this.#changed()
      await Promise.all(this.#node.getConnections().map(async (c) => await c.close().catch(() => c.abort(new Error('offline')))))
    } else {
      this.#retryMs = RETRY_MIN_MS
      void this.#dialRelay()
    }
    this.#changed()
  }

  stop(): void {
    this.#stopped = true
    this.#unlisten.forEach((undo) => undo())
    clearTimeout(this.#retryTimer)
    clearTimeout(this.#reserveTimer)
  }

  status(): NetworkStatus {
    return this.#status
  }

  on<K extends keyof NetworkEvents>(name: K, listener: (...args: NetworkEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /** Dials a peer's WebRTC address (signalled through the relay) and returns the direct link. */
  async connectDirect(address: string, options: { signal?: AbortSignal } = {}): Promise<Connection> {
    let ma: Multiaddr
    try {
      ma = multiaddr(address)
    } catch (err) {
      throw new InvalidPeerAddressError(address, { cause: err })
    }
    const peer = ma.getComponents().findLast((c) => c.name === 'p2p')?.value
    if (!WebRTC.exactMatch(ma) || peer === undefined) throw new InvalidPeerAddressError(address)
    const existing = directConnection(this.#node.getConnections().filter((c) => c.remotePeer.toString() === peer))
    if (existing !== undefined) return existing
    const signal = AbortSignal.any([AbortSignal.timeout(DIRECT_LINK_TIMEOUT_MS), ...(options.signal ? [options.signal] : [])])
    try {
      const connection = await this.#node.dial(ma, { signal })
      if (connectionPath(connection) === 'direct-webrtc') return connection
      const direct = directConnection(this.#node.getConnections(connection.remotePeer))
      if (direct !== undefined) return direct
    } catch (err) {
      throw new NoDirectLinkError(peer, { cause: err })
    }
    throw new NoDirectLinkError(peer)
  }

  async hangUp(peerId: string): Promise<void> {
    await Promise.all(
      this.#node
        .getConnections()
        .filter((c) => c.remotePeer.toString() === peerId)
        .map(async (c) => await c.close()),
    )
  }

  #isRelay(peer: PeerId): boolean {
    return this.#relay?.getComponents().some((c) => c.name === 'p2p' && c.value === peer.toString()) === true
  }

  async #dialRelay(): Promise<void> {
    if (this.#relay === undefined || this.#stopped || this.#offline.value) return
    this.#relayState = 'connecting'
    this.#retryAt = undefined
    this.#changed()
    try {
      await this.#node.dial(this.#relay, { signal: AbortSignal.timeout(10_000) })
      this.#relayState = 'connected'
      this.#lastError = undefined
      this.#retryMs = RETRY_MIN_MS
      this.#changed()
    } catch (err) {
      this.#lastError = relayFailure(err)
      this.#relayLost()
      return
    }
    this.#reserveRetryMs = RESERVE_RETRY_MIN_MS
    await this.#reserve()
  }

  /** Makes sure the relay holds an address for this browser, asking again with backoff while it refuses. */
  async #reserve(): Promise<void> {
    const relay = this.#relay
    if (relay === undefined || this.#stopped || this.#offline.value || this.#relayState !== 'connected') return
    if (this.#reservation === 'reserving') return
    clearTimeout(this.#reserveTimer)
    this.#reservation = 'reserving'
    this.#changed()
    let held = false
    try {
      held = await this.#node.services.reservation.reserve(relay)
    } catch (err) {
      this.#log.error('asking the relay for a reservation failed: %e', err)
    }
    if (this.#relayState !== 'connected') return
    this.#reservation = held ? 'held' : 'refused'
    if (held) {
      this.#reserveRetryMs = RESERVE_RETRY_MIN_MS
      this.#retryAt = undefined
    } else {
      this.#retryAt = Date.now() + this.#reserveRetryMs
      this.#reserveTimer = setTimeout(() => void this.#reserve(), this.#reserveRetryMs)
      this.#reserveRetryMs = Math.min(this.#reserveRetryMs * 2, RESERVE_RETRY_MAX_MS)
    }
    this.#changed()
  }

  #reservationHeld(): boolean {
    return this.#relay !== undefined && this.#node.services.reservation.held(this.#relay)
  }

  #relayLost(): void {
    if (this.#stopped || this.#offline.value || this.#relayState === 'disconnected') return
    this.#relayState = 'disconnected'
    this.#reservation = 'none'
    this.#lastError ??= 'The connection to the relay closed.'
    clearTimeout(this.#reserveTimer)
    clearTimeout(this.#retryTimer)
    this.#retryAt = Date.now() + this.#retryMs
    this.#retryTimer = setTimeout(() => void this.#dialRelay(), this.#retryMs)
    this.#retryMs = Math.min(this.#retryMs * 2, RETRY_MAX_MS)
    this.#changed()
  }

  #changed(): void {
    this.#status = this.#compute()
    this.#events.emit('change')
  }

  #compute(): NetworkStatus {
    const byPeer = new Map<string, PeerLink[]>()
    const dids = new Map<string, string>()
    for (const c of this.#node.getConnections()) {
      if (c.status !== 'open') continue
      const id = c.remotePeer.toString()
      const did = this.#node.services.peerAuth.didOf(c)
      if (did !== undefined) dids.set(id, did)
      const links = byPeer.get(id) ?? []
      links.push({
        path: this.#isRelay(c.remotePeer) ? 'relay-server' : connectionPath(c),
        remoteAddr: c.remoteAddr.toString(),
        openedAt: c.timeline.open,
      })
      byPeer.set(id, links)
    }
    const book = this.#node.services.peerAuth.peers()
    const share = this.#node
      .getMultiaddrs()
      .find((ma) => WebRTC.exactMatch(ma))
      ?.toString()
    this.#lastShareAddress = share ?? this.#lastShareAddress
    return {
      peerId: this.#node.peerId.toString(),
      relay: { state: this.#relayState, address: this.#relay?.toString(), lastError: this.#lastError, retryAt: this.#retryAt },
      reservation: this.#reservation,
      shareAddress: this.#lastShareAddress,
      shareAddressLive: share !== undefined,
      offline: this.#offline.value,
      met: book.map((p) => ({ did: p.did, name: p.name, peerIds: p.peerIds, lastSeen: p.lastSeen, status: p.status })),
      peers: [...byPeer].map(([peerId, links]) => {
        const did = dids.get(peerId)
        return { peerId, links, did, name: book.find((p) => p.did === did)?.name }
      }),
    }
  }
}

/**
 * Why the relay could not be reached, as a sentence. A failed WebSocket
 * rejects with a bare Event, whose text is "[object Event]".
 */
export function relayFailure(err: unknown): string {
  const name = typeof err === 'object' && err !== null ? (err as { name?: unknown }).name : undefined
  if (name === 'TimeoutError' || name === 'AbortError') return 'The relay did not answer within 10 seconds.'
  return 'The relay could not be reached: it may be stopped, or the network is down.'
}
