import type { Connection, Logger, PeerId } from '@libp2p/interface'
import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import type { BrowserNode } from './browser-node.ts'
import { connectionPath, directConnection, type ConnectionPath } from './connection-path.ts'
import { InvalidPeerAddressError, NoDirectLinkError, NoPathToPeerError, WorkingOfflineError } from './errors.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'
import { timeoutOr } from '../../shared/abort.ts'
import { RelayLink, type RelayOrigin, type RelayState, type RelayStatus, type ReservationState } from './relay-link.ts'
import { DirectUpgrades, type DirectLinkStatus } from './direct-upgrade.ts'

export type { RelayOrigin, RelayState, RelayStatus, ReservationState } from './relay-link.ts'
export type { DirectLinkStatus } from './direct-upgrade.ts'

export interface PeerLink {
  path: ConnectionPath
  remoteAddr: string
  openedAt: number
  /** For a relayed link: the relay's peer ID. */
  relay: string | undefined
  /** Round-trip time from libp2p's heartbeat on this connection, once measured. */
  rtt: number | undefined
}

/** Bytes of the app's protocols with a peer since the page loaded (PeerTraffic). */
export interface PeerBytes {
  in: number
  out: number
}

export interface PeerStatus {
  peerId: string
  links: PeerLink[]
  /** The DID this peer proved on one of its connections, and the name it gave. */
  did: string | undefined
  name: string | undefined
  /** Set while this browser works on a direct link to the peer. */
  direct: DirectLinkStatus | undefined
  bytes: PeerBytes
}

export interface NetworkStatus {
  peerId: string
  /** Every relay this browser knows of, in the order they are preferred. */
  relays: RelayStatus[]
  /** The relays taken together: connected when any is, with the first's address and the soonest retry. */
  relay: {
    state: RelayState
    address: string | undefined
    lastError: string | undefined
    retryAt: number | undefined
  }
  /** Held when any relay holds an address for this browser. */
  reservation: ReservationState
  /**
   * Where others reach us: our WebRTC address through a relay. Kept after
   * the relays go away: peers with a direct link still reach us by it, and
   * the same relay gives back the same address when it returns.
   */
  shareAddress: string | undefined
  /** Whether a relay currently holds a reservation for that address. */
  shareAddressLive: boolean
  peers: PeerStatus[]
  /** Everyone who ever proved a DID to us: the peer book. */
  met: MetPeer[]
  /** The in-app switch: while offline nothing connects. */
  offline: boolean
  /** Connection failures since the page loaded, by cause, most frequent first. */
  failures: Array<{ cause: string; count: number }>
  /** Sync messages sent since the page loaded, by path. */
  sent: { direct: number; relayed: number }
}

export interface MetPeer {
  did: string
  name: string
  peerIds: string[]
  lastSeen: number
  status: 'authenticated' | 'refused'
}

export interface KnownRelay {
  address: Multiaddr
  origin: RelayOrigin
}

/** Relays held at once when that many answer: one more than needed, so losing one loses no reach. */
export const RELAYS_WANTED = 2
const RELAYED_DIAL_TIMEOUT_MS = 10_000
const MEASURES_REFRESH_MS = 5_000
/** The first upgrade attempt waits this long after the relayed connection is proven (DirectUpgradeDeps.settleMs). */
const UPGRADE_SETTLE_MS = 1_000
/** How long a transfer waits for a direct link before it goes through the relay. */
const DIRECT_WAIT_MS = 10_000

export interface NetworkEvents {
  /** A relay, a connection, a reservation or the peer book changed: read status() again. */
  change: []
}

/**
 * Keeps this browser on up to two relays (failing over to others it knows),
 * reaches peers through a relay at once and moves them to a direct WebRTC link
 * when it comes up, and reports every connection with its path and why.
 */
export class Network {
  readonly #node: BrowserNode
  readonly #events = new Emitter<NetworkEvents>()
  readonly #links: RelayLink[] = []
  readonly #upgrades: DirectUpgrades
  /** Undoes this object's own subscriptions, at stop. */
  readonly #unlisten: Array<() => void> = []
  readonly #offline: { value: boolean }
  readonly #log: Logger
  /** Why no relay was found at startup, when none was. */
  readonly #startError: string | undefined
  #started = false
  #nodeStarted: Promise<void> | undefined
  #stopped = false
  #status: NetworkStatus
  #lastShareAddress: string | undefined
  readonly #failures = new Map<string, number>()
  /** The round-trip times and byte counts the last status showed. */
  #shownMeasures = ''
  /**
   * Connections we are closing. libp2p closes a connection's muxer first, in
   * order, and only then says the connection is not open: meanwhile a new
   * stream on it fails ("The connection muxer is closing").
   */
  readonly #closing = new WeakSet<Connection>()
  #goingOffline = new AbortController()

  /** `offline` is shared with the node's connection gater. */
  constructor(node: BrowserNode, relays: KnownRelay[], startError?: string, offline: { value: boolean } = { value: false }) {
    this.#node = node
    this.#log = node.logger.forComponent('cas-disot:network')
    this.#offline = offline
    this.#startError = startError
    this.#upgrades = new DirectUpgrades({
      dial: async (address, signal) => await node.dial(address, { signal }),
      log: (message, err) => this.#log('%s: %e', message, err),
      failed: (cause) => this.#failed(cause),
      settleMs: UPGRADE_SETTLE_MS,
    })
    for (const relay of relays) this.#addLink(relay.address, relay.origin)
    this.#status = this.#compute()
    const update = (): void => this.#changed()
    const closed = (event: CustomEvent<Connection>): void => {
      const connection = event.detail
      const peer = connection.remotePeer.toString()
      const stillOpen = node.getConnections(connection.remotePeer).some((c) => c.status === 'open')
      if (!stillOpen) this.#links.find((l) => l.peerId === peer)?.lost()
      this.#upgrades.relayedClosed(peer, connection)
      update()
    }
    const selfUpdated = (): void => {
      // a reservation that ended while its relay stayed (expired, refused on refresh) is asked for again
      for (const link of this.#links) if (!node.services.reservation.held(link.address)) link.reservationEnded()
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
      this.#upgrades.on('change', update),
    )
  }

  /**
   * Starts the libp2p node. Its listen on the relay waits for the relay, so
   * the app calls this after its first screen shows; a connection asked for
   * before that starts it, and waits.
   */
  async startNode(): Promise<void> {
    this.#nodeStarted ??= Promise.resolve(this.#node.start())
    await this.#nodeStarted
  }

  start(): void {
    this.#started = true
    this.#connectRelays()
    // now and then: relayed connections no longer used close, and new round-trip and byte
    // figures (which change without an event) are shown
    const heartbeat = setInterval(() => {
      this.#closeReplaced()
      this.refreshMeasures()
    }, MEASURES_REFRESH_MS)
    this.#unlisten.push(() => clearInterval(heartbeat))
  }

  /** Shows the round-trip and byte figures as they are now (a transfer just ended, say), not at the next heartbeat. */
  refreshMeasures(): void {
    if (this.#measures() !== this.#shownMeasures) this.#changed()
  }

  /** Aborted with WorkingOfflineError when the person next goes offline, before any connection closes: what runs over them stops rather than fails. */
  untilOffline(): AbortSignal {
    return this.#goingOffline.signal
  }

  isOffline(): boolean {
    return this.#offline.value
  }

  /** Cuts every connection and refuses new ones (true), or reconnects to the relays (false). */
  async setOffline(offline: boolean): Promise<void> {
    this.#offline.value = offline
    if (offline) {
      this.#goingOffline.abort(new WorkingOfflineError())
      this.#goingOffline = new AbortController()
      for (const link of this.#links) link.pause()
      this.#changed()
      await Promise.all(this.#node.getConnections().map(async (c) => await this.#close(c, 'offline')))
    } else {
      this.#connectRelays()
    }
    this.#changed()
  }

  stop(): void {
    this.#stopped = true
    this.#unlisten.forEach((undo) => undo())
    for (const link of this.#links) link.close()
    this.#upgrades.stop()
  }

  status(): NetworkStatus {
    return this.#status
  }

  on<K extends keyof NetworkEvents>(name: K, listener: (...args: NetworkEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /** Adds a relay (the person's, or one learnt later); connected when fewer than two serve. */
  addRelay(address: Multiaddr, origin: RelayOrigin): void {
    if (this.#links.some((l) => l.address.equals(address))) return
    const link = this.#addLink(address, origin)
    this.#changed()
    if (this.#started && !this.#offline.value) void link.connect()
  }

  /** Forgets a relay and closes the connection to it; another takes its place. */
  async removeRelay(address: string): Promise<void> {
    const index = this.#links.findIndex((l) => l.address.toString() === address)
    if (index < 0) return
    const [link] = this.#links.splice(index, 1) as [RelayLink]
    link.close()
    await this.hangUp(link.peerId)
    this.#connectRelays()
    this.#changed()
  }

  /**
   * Reaches a peer by its WebRTC address (as shared in links), through its
   * relay or any relay this browser holds, and returns the first connection
   * that opens: the direct link when one is up, else a relayed connection
   * that carries traffic at once while the direct link is set up.
   */
  async connect(address: string, options: { signal?: AbortSignal } = {}): Promise<Connection> {
    const { peer, via } = parsePeerAddress(address)
    await this.startNode()
    const open = this.#best(peer)
    if (open !== undefined) return open
    const failures: unknown[] = []
    for (const relay of this.#relaysToTry(via)) {
      const relayed = relay.encapsulate(`/p2p-circuit/p2p/${peer}`)
      try {
        const connection = await this.#node.dial(relayed, { signal: timeoutOr(RELAYED_DIAL_TIMEOUT_MS, options.signal) })
        // the upgrade starts after the relayed connection is proven, and settled: setting up
        // WebRTC while the handshake and the first sync run would slow them both (a transfer
        // waiting for the link ends the settling: directLink)
        if (connectionPath(connection) === 'relayed')
          void this.#node.services.peerAuth.authenticated(connection, { signal: AbortSignal.timeout(RELAYED_DIAL_TIMEOUT_MS) }).then(
            () => this.#upgrades.start(peer, connection, relay.encapsulate(`/p2p-circuit/webrtc/p2p/${peer}`)),
            (err: unknown) => this.#log('%s was not proven on its relayed connection, so no direct link: %e', peer, err),
          )
        return connection
      } catch (err) {
        failures.push(err)
        if (options.signal?.aborted === true) break
      }
    }
    this.#failed('A peer could not be reached through any relay.')
    throw new NoPathToPeerError(peer, { cause: new AggregateError(failures, 'every relay failed') })
  }

  /** The connections new streams to a DID may use, its direct link first: a relayed one carries traffic until the link is up. */
  connectionsOf(did: string): Connection[] {
    const proven = this.#usable(this.#node.getConnections()).filter((c) => this.#node.services.peerAuth.didOf(c) === did)
    const direct = directConnection(proven)
    return [...(direct === undefined ? [] : [direct]), ...proven.filter((c) => connectionPath(c) === 'relayed')]
  }

  /**
   * The direct link to a peer, waiting up to `waitMs` for one being set up
   * (by this browser, or by the peer when it dialled); undefined when none
   * comes: the relayed connection is all there is.
   */
  async directLink(peerId: string, waitMs: number, options: { signal?: AbortSignal } = {}): Promise<Connection | undefined> {
    const open = (): Connection | undefined =>
      directConnection(this.#proven(this.#usable(this.#node.getConnections().filter((c) => c.remotePeer.toString() === peerId))))
    if (open() !== undefined) return open()
    const upgrade = this.#upgrades.status(peerId)?.state
    if (upgrade === 'trying') return await this.#upgrades.direct(peerId, waitMs, options.signal)
    if (upgrade === 'failed') return undefined
    const signal = timeoutOr(waitMs, options.signal)
    // a direct link counts once the peer proved its DID on it (#proven): wait for that, not for it to open
    return await new Promise<Connection | undefined>((resolve) => {
      const done = (): void => {
        unsubscribe()
        resolve(open())
      }
      const unsubscribeAuth = this.#node.services.peerAuth.on('authenticated', () => {
        if (open() !== undefined) done()
      })
      // the upgrade starts once the relayed connection is proven: this wait needs it at once
      const unsubscribeUpgrades = this.#upgrades.on('change', () => this.#upgrades.hurry(peerId))
      const unsubscribe = (): void => {
        unsubscribeAuth()
        unsubscribeUpgrades()
      }
      signal.addEventListener('abort', done, { once: true })
    })
  }

  /**
   * The connection a transfer of `bytes` goes over: a direct link, waited for
   * a bounded time; else the relayed connection when the relay's limit on it
   * leaves room (NoDirectLinkError, saying why, when it does not).
   */
  async forTransfer(connection: Connection, bytes: number, options: { signal?: AbortSignal } = {}): Promise<Connection> {
    if (connectionPath(connection) !== 'relayed') return connection
    const peer = connection.remotePeer.toString()
    const direct = await this.directLink(peer, DIRECT_WAIT_MS, options)
    if (direct !== undefined) return direct
    const room = connection.limits?.bytes
    // a tenth more for the protocol's framing and the sync beside it
    if (room === undefined || BigInt(Math.ceil(bytes * 1.1)) <= room) return connection
    const why = this.#upgrades.status(peer)?.why ?? `it did not come up within ${DIRECT_WAIT_MS / 1000} s`
    throw new NoDirectLinkError(peer, `${why}, and ${bytes} bytes is more than the relay carries on one connection (${room} bytes)`)
  }

  async hangUp(peerId: string): Promise<void> {
    await Promise.all(
      this.#node
        .getConnections()
        .filter((c) => c.remotePeer.toString() === peerId)
        .map(async (c) => await this.#close(c, 'hung up')),
    )
  }

  #addLink(address: Multiaddr, origin: RelayOrigin): RelayLink {
    const link = new RelayLink(address, origin, {
      dial: async (relay, signal) => await this.#node.dial(relay, { signal }),
      reserve: async (relay) => await this.#node.services.reservation.reserve(relay),
      mayDial: (candidate) =>
        !this.#stopped && !this.#offline.value && this.#links.filter((l) => l !== candidate && l.busy()).length < RELAYS_WANTED,
      log: (message, err) => this.#log.error('%s: %e', message, err),
      failed: (cause) => this.#failed(cause),
    })
    this.#unlisten.push(
      link.on('change', () => {
        this.#wakeStandby()
        this.#changed()
      }),
    )
    this.#links.push(link)
    return link
  }

  /** Dials relays in order until two are connected or on the way. */
  #connectRelays(): void {
    for (const link of this.#links) void link.connect()
  }

  /** A relay was lost: one waiting in standby takes its place. */
  #wakeStandby(): void {
    if (!this.#started || this.#offline.value || this.#links.filter((l) => l.busy()).length >= RELAYS_WANTED) return
    const next = this.#links.find((l) => l.status().state === 'standby')
    if (next !== undefined) void next.connect()
  }

  /**
   * The peer's own relay first when this browser is on it, then the relays
   * this browser is on, then those it knows but is not on yet (a page just
   * loaded is still connecting), then the peer's relay anyway.
   */
  #relaysToTry(via: Multiaddr | undefined): Multiaddr[] {
    const viaPeer = via?.getComponents().findLast((c) => c.name === 'p2p')?.value
    const connected = this.#links.filter((l) => l.status().state === 'connected')
    const ordered = [
      ...connected.filter((l) => l.peerId === viaPeer),
      ...connected.filter((l) => l.peerId !== viaPeer),
      ...this.#links.filter((l) => !connected.includes(l)),
    ].map((l) => l.address)
    if (via !== undefined && !this.#links.some((l) => l.peerId === viaPeer)) ordered.push(via)
    return ordered
  }

  /**
   * The connections a peer proved its DID on. The side that answers a WebRTC
   * upgrade holds a connection as soon as the offer and answer are exchanged,
   * even when ICE never connects (the other side hides its address): until
   * the handshake runs over it, it is no link at all.
   */
  #proven(connections: Connection[]): Connection[] {
    return connections.filter((c) => this.#node.services.peerAuth.didOf(c) !== undefined)
  }

  /** Those open and not being closed by us. */
  #usable(connections: Connection[]): Connection[] {
    return connections.filter((c) => c.status === 'open' && !this.#closing.has(c))
  }

  /** Closes a connection in order, or aborts it when that fails; no new stream is opened on it meanwhile. */
  async #close(connection: Connection, why: string): Promise<void> {
    this.#closing.add(connection)
    this.#changed()
    await connection.close().catch((err: unknown) => connection.abort(new Error(`closing a connection (${why}) failed`, { cause: err })))
  }

  /** The direct link to a peer if one is open, else an open relayed connection. */
  #best(peerId: string): Connection | undefined {
    const open = this.#usable(this.#node.getConnections().filter((c) => c.remotePeer.toString() === peerId))
    return directConnection(this.#proven(open)) ?? open.find((c) => connectionPath(c) === 'relayed')
  }

  /**
   * A relayed connection that a direct link has replaced is closed once
   * nothing runs over it any more (the spaces move their sync to the direct
   * link first): never in the middle of a join or a transfer.
   */
  #closeReplaced(): void {
    for (const c of this.#usable(this.#node.getConnections())) {
      if (connectionPath(c) !== 'relayed' || c.streams.length > 0) continue
      // replaced only by a direct link that came after it: one from before may be a page the
      // peer has since left (its new page reached us relayed, and is still setting up its own)
      const direct = directConnection(this.#proven(this.#usable(this.#node.getConnections(c.remotePeer))))
      if (direct === undefined || direct.timeline.open < c.timeline.open) continue
      void this.#close(c, 'a replaced relayed connection')
    }
  }

  #failed(cause: string): void {
    this.#failures.set(cause, (this.#failures.get(cause) ?? 0) + 1)
  }

  #isRelay(peer: PeerId): boolean {
    return this.#links.some((l) => l.peerId === peer.toString())
  }

  /** The figures that change without an event: round-trip times (libp2p's heartbeat) and bytes with each peer. */
  #measures(): string {
    return this.#node
      .getConnections()
      .map((c) => {
        const bytes = this.#node.services.traffic.of(c.remotePeer.toString())
        return `${c.rtt} ${bytes.in} ${bytes.out}`
      })
      .join()
  }

  #changed(): void {
    this.#shownMeasures = this.#measures()
    this.#status = this.#compute()
    this.#events.emit('change')
  }

  #compute(): NetworkStatus {
    const byPeer = new Map<string, PeerLink[]>()
    const dids = new Map<string, string>()
    // one being closed is gone already for the person: offline, no peer shows while its link winds down
    for (const c of this.#usable(this.#node.getConnections())) {
      const id = c.remotePeer.toString()
      const did = this.#node.services.peerAuth.didOf(c)
      if (did !== undefined) dids.set(id, did)
      const path = this.#isRelay(c.remotePeer) ? 'relay-server' : connectionPath(c)
      // a direct link counts once proven (#proven): an answered upgrade whose ICE never connects is none
      if (path === 'direct-webrtc' && did === undefined) continue
      const links = byPeer.get(id) ?? []
      links.push({
        path,
        remoteAddr: c.remoteAddr.toString(),
        openedAt: c.timeline.open,
        relay: path === 'relayed' ? relayOf(c.remoteAddr) : undefined,
        rtt: c.rtt,
      })
      byPeer.set(id, links)
    }
    const relays = this.#links.map((l) => l.status())
    const holding = relays.filter((r) => r.reservation === 'held').map((r) => r.peerId)
    const webrtc = this.#node.getMultiaddrs().filter((ma) => WebRTC.exactMatch(ma))
    // through the first relay that holds a reservation: the one others reach soonest
    const share = holding.map((id) => webrtc.find((ma) => relayOf(ma) === id)).find((ma) => ma !== undefined) ?? webrtc[0]
    this.#lastShareAddress = share?.toString() ?? this.#lastShareAddress
    const book = this.#node.services.peerAuth.peers()
    return {
      peerId: this.#node.peerId.toString(),
      relays,
      relay: aggregate(relays, this.#startError, this.#started),
      reservation: reservationOf(relays),
      shareAddress: this.#lastShareAddress,
      shareAddressLive: share !== undefined,
      offline: this.#offline.value,
      failures: [...this.#failures].map(([cause, count]) => ({ cause, count })).sort((a, b) => b.count - a.count),
      sent: this.#node.services.sync.sent(),
      met: book.map((p) => ({ did: p.did, name: p.name, peerIds: p.peerIds, lastSeen: p.lastSeen, status: p.status })),
      peers: [...byPeer].map(([peerId, links]) => {
        const did = dids.get(peerId)
        const direct = links.some((l) => l.path === 'direct-webrtc') ? undefined : this.#upgrades.status(peerId)
        const bytes = this.#node.services.traffic.of(peerId)
        return { peerId, links, did, name: book.find((p) => p.did === did)?.name, direct, bytes }
      }),
    }
  }
}

/**
 * The relays taken together, for the lines that speak of "the relay". Until
 * the network starts (the app shows what it keeps first) they are being
 * connected to, not gone.
 */
function aggregate(relays: RelayStatus[], startError: string | undefined, started: boolean): NetworkStatus['relay'] {
  if (relays.length === 0) return { state: 'none', address: undefined, lastError: startError, retryAt: undefined }
  const connected = relays.find((r) => r.state === 'connected')
  const state: RelayState =
    connected !== undefined ? 'connected' : !started || relays.some((r) => r.state === 'connecting') ? 'connecting' : 'disconnected'
  const retries = relays.map((r) => r.retryAt).filter((t) => t !== undefined)
  const lost = relays.find((r) => r.lastError !== undefined)
  return {
    state,
    address: (connected ?? relays[0])?.address,
    lastError: state === 'connected' ? undefined : lost?.lastError,
    retryAt: retries.length === 0 ? undefined : Math.min(...retries),
  }
}

function reservationOf(relays: RelayStatus[]): ReservationState {
  for (const state of ['held', 'reserving', 'refused'] as const) if (relays.some((r) => r.reservation === state)) return state
  return 'none'
}

/** The relay's peer ID in a circuit address (the p2p component before /p2p-circuit). */
function relayOf(address: Multiaddr): string | undefined {
  const components = address.getComponents()
  const circuit = components.findIndex((c) => c.name === 'p2p-circuit')
  return circuit <= 0 ? undefined : components.slice(0, circuit).findLast((c) => c.name === 'p2p')?.value
}

/** A peer's WebRTC address as shared in links: its peer ID, and the relay it was reachable through. */
function parsePeerAddress(address: string): { peer: string; via: Multiaddr | undefined } {
  let ma: Multiaddr
  try {
    ma = multiaddr(address)
  } catch (err) {
    throw new InvalidPeerAddressError(address, { cause: err })
  }
  const peer = ma.getComponents().findLast((c) => c.name === 'p2p')?.value
  if (!WebRTC.exactMatch(ma) || peer === undefined) throw new InvalidPeerAddressError(address)
  const text = ma.toString()
  const circuit = text.indexOf('/p2p-circuit')
  return { peer, via: circuit > 0 ? multiaddr(text.slice(0, circuit)) : undefined }
}
