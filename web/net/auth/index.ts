import { serviceCapabilities } from '@libp2p/interface'
import type {
  ComponentLogger,
  Connection,
  Libp2pEvents,
  Logger,
  PeerId,
  Startable,
  Stream,
  StreamHandler,
  TypedEventTarget,
} from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { AuthRefusedError, type AuthFailure } from '../../../shared/auth/errors.ts'
import type { PeerRecord } from '../../../shared/auth/peer-record.ts'
import type { Did, Identity } from '../../../shared/identity/did-key.ts'
import { AUTH_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import { asError } from '../../../shared/errors.ts'
import { Emitter, type Unsubscribe } from '../../../shared/events/emitter.ts'
import { runHandshake, type AuthenticatedPeer, type ConnectionNonces } from './handshake.ts'
import { ReplayGuard } from './replay-guard.ts'
import type { PeerTraffic } from '../traffic.ts'
import { logFailure } from '../../../shared/log.ts'
import { connectionPath } from '../connection-path.ts'

export const AUTH_TIMEOUT_MS = 10_000

/** What peer authentication provides to the services that serve authenticated peers only (libp2p checks it at start). */
export const PEER_AUTH_CAPABILITY = '@cas-disot/peer-auth'

export interface PeerAuthComponents {
  registrar: Registrar
  events: TypedEventTarget<Libp2pEvents>
  peerId: PeerId
  logger: ComponentLogger
}

export interface PeerAuthInit {
  /** Who we are; read at every handshake, so a restored identity takes effect on the next connection. */
  identity: () => Identity
  displayName: () => string
  /** How long a handshake, or a wait for one, may take. */
  timeoutMs?: number
  /** Concurrent handshake streams per connection (one each way is all a peer needs). */
  maxInboundStreams?: number
  /** The peer book as it was kept last time. */
  book?: PeerRecord[]
  /** Counts the handshake's bytes per peer, when given. */
  traffic?: PeerTraffic
}

export type { PeerRecord, ConnectionNonces }

export interface PeerAuth {
  /** The DID proven on this connection, if any. */
  didOf(connection: Connection): Did | undefined
  /** The handshake's nonces on an authenticated connection, to bind what is said on it to it. */
  noncesOf(connection: Connection): ConnectionNonces | undefined
  /** Resolves with the DID once the handshake on this connection has succeeded. */
  authenticated(connection: Connection, options?: { signal?: AbortSignal }): Promise<Did>
  peers(): PeerRecord[]
  /**
   * Wraps a protocol handler so only authenticated connections reach it; any
   * other stream is reset unanswered. (A wrapper, not libp2p middleware:
   * libp2p 3.3's registrar appends to the registered middleware array on
   * every inbound stream, so handlers would run more than once.)
   */
  guard(handler: StreamHandler): StreamHandler
  on<K extends keyof PeerAuthEvents>(name: K, listener: (...args: PeerAuthEvents[K]) => void): Unsubscribe
}

export interface PeerAuthEvents {
  /** The peer book changed: someone proved a DID, or was refused. */
  change: []
  /** A handshake succeeded on this connection. */
  authenticated: [connection: Connection, did: Did]
}

/**
 * /cas-disot/auth/1.0.0 on every new connection to a peer, relayed or direct:
 * the dialling side starts it, both prove their DID, and a connection that
 * fails is closed. Connections to relay servers get none: the relay does not
 * speak it, and asking would cost it a refused stream per browser.
 */
class DefaultPeerAuth implements PeerAuth, Startable {
  readonly [serviceCapabilities] = [PEER_AUTH_CAPABILITY]
  readonly [Symbol.toStringTag] = PEER_AUTH_CAPABILITY
  readonly #c: PeerAuthComponents
  readonly #init: PeerAuthInit
  readonly #log: Logger
  readonly #timeoutMs: number
  readonly #replay = new ReplayGuard()
  readonly #results = new WeakMap<Connection, Promise<AuthenticatedPeer>>()
  readonly #proven = new WeakMap<Connection, Did>()
  readonly #nonces = new WeakMap<Connection, ConnectionNonces>()
  readonly #book = new Map<string, PeerRecord>()
  readonly #events = new Emitter<PeerAuthEvents>()
  /** Inbound handshakes starting: for those waiting on one; not for the world. */
  readonly #inboundStarted = new Emitter<{ started: [] }>()
  readonly #onOpen = (event: CustomEvent<Connection>): void => {
    const connection = event.detail
    if (connection.direction === 'inbound') this.#expectHandshake(connection)
    else if (connectionPath(connection) !== 'relay-server') void this.#outbound(connection)
  }

  constructor(components: PeerAuthComponents, init: PeerAuthInit) {
    this.#c = components
    this.#init = init
    this.#log = components.logger.forComponent('cas-disot:auth')
    this.#timeoutMs = init.timeoutMs ?? AUTH_TIMEOUT_MS
    for (const record of init.book ?? []) this.#book.set(record.did, record)
  }

  async start(): Promise<void> {
    await this.#c.registrar.handle(AUTH_PROTOCOL, (stream, connection) => this.#inbound(stream, connection), {
      maxInboundStreams: this.#init.maxInboundStreams ?? 2,
      // relayed connections carry traffic while the direct link is set up: they are proven first
      runOnLimitedConnection: true,
    })
    this.#c.events.addEventListener('connection:open', this.#onOpen)
  }

  async stop(): Promise<void> {
    this.#c.events.removeEventListener('connection:open', this.#onOpen)
    await this.#c.registrar.unhandle(AUTH_PROTOCOL)
  }

  didOf(connection: Connection): Did | undefined {
    return this.#proven.get(connection)
  }

  noncesOf(connection: Connection): ConnectionNonces | undefined {
    return this.#nonces.get(connection)
  }

  async authenticated(connection: Connection, options: { signal?: AbortSignal } = {}): Promise<Did> {
    const known = this.#proven.get(connection)
    if (known !== undefined) return known
    const pending = this.#results.get(connection) ?? (connection.direction === 'outbound' ? this.#outbound(connection) : undefined)
    if (pending === undefined) return await this.#awaitInbound(connection, options)
    return (await withSignal(pending, options.signal)).did
  }

  on<K extends keyof PeerAuthEvents>(name: K, listener: (...args: PeerAuthEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  peers(): PeerRecord[] {
    return [...this.#book.values()].map((p) => ({ ...p, peerIds: [...p.peerIds] }))
  }

  guard(handler: StreamHandler): StreamHandler {
    return async (stream, connection) => {
      try {
        await this.authenticated(connection, { signal: AbortSignal.timeout(this.#timeoutMs) })
      } catch (err) {
        stream.abort(new AuthRefusedError('timeout', 'the connection is not authenticated', { cause: err }))
        return
      }
      await handler(stream, connection)
    }
  }

  #outbound(connection: Connection): Promise<AuthenticatedPeer> | undefined {
    if (connection.direction !== 'outbound') return undefined
    const existing = this.#results.get(connection)
    if (existing !== undefined) return existing
    const result = (async () => {
      const signal = AbortSignal.timeout(this.#timeoutMs)
      let stream: Stream
      try {
        stream = await connection.newStream(AUTH_PROTOCOL, { signal, runOnLimitedConnection: true })
      } catch (err) {
        // the relay and other non-peers do not speak our protocol: they get no DID, and nothing of ours
        throw new AuthRefusedError('malformed', 'the other side does not authenticate', { cause: err })
      }
      this.#init.traffic?.track(stream, connection.remotePeer.toString())
      return await this.#run(stream, connection, 'dialer', signal)
    })()
    // whoever asks awaits it; left alone, its refusal is logged in #run and here
    result.catch(logFailure(this.#log, 'an outbound handshake'))
    this.#results.set(connection, result)
    return result
  }

  /**
   * The dialling side starts the handshake. One that never does would keep a
   * connection (and a place in the connection limit) for nothing: it is closed
   * once the handshake's own time is up, relayed or direct.
   */
  #expectHandshake(connection: Connection): void {
    const timer = setTimeout(() => {
      if (this.#results.has(connection) || connection.status !== 'open') return
      const refusal = new AuthRefusedError('timeout', 'the other side never started the handshake')
      this.#log('closing %p: %s', connection.remotePeer, refusal.message)
      this.#recordFailure(connection.remotePeer.toString(), refusal.reason)
      connection.close().catch((err: unknown) => {
        this.#log.error('closing %p failed, aborting: %e', connection.remotePeer, err)
        connection.abort(refusal)
      })
    }, this.#timeoutMs)
    connection.addEventListener('close', () => clearTimeout(timer), { once: true })
  }

  async #inbound(stream: Stream, connection: Connection): Promise<void> {
    this.#init.traffic?.track(stream, connection.remotePeer.toString())
    const result = this.#run(stream, connection, 'listener', AbortSignal.timeout(this.#timeoutMs))
    this.#results.set(connection, result)
    this.#inboundStarted.emit('started')
    await result.catch(logFailure(this.#log, 'an inbound handshake'))
  }

  async #run(stream: Stream, connection: Connection, role: 'dialer' | 'listener', signal: AbortSignal): Promise<AuthenticatedPeer> {
    const remotePeer = connection.remotePeer.toString()
    try {
      const peer = await runHandshake(stream, {
        identity: this.#init.identity(),
        name: this.#init.displayName(),
        peer: this.#c.peerId.toString(),
        remotePeer,
        role,
        replay: this.#replay,
        signal,
      })
      await stream.close().catch(logFailure(this.#log, 'closing the auth stream'))
      this.#proven.set(connection, peer.did)
      this.#nonces.set(connection, peer.nonces)
      this.#record(peer.did, { name: peer.name, remotePeer, status: 'authenticated' })
      // each listener isolated by the emitter: one that throws cannot undo a proven connection
      this.#events.emit('authenticated', connection, peer.did)
      return peer
    } catch (err) {
      const refusal = err instanceof AuthRefusedError ? err : new AuthRefusedError('malformed', asError(err).message, { cause: err })
      this.#log('refused %p: %s', connection.remotePeer, refusal.message)
      this.#recordFailure(remotePeer, refusal.reason)
      await connection.close().catch(() => connection.abort(refusal))
      throw refusal
    }
  }

  async #awaitInbound(connection: Connection, options: { signal?: AbortSignal }): Promise<Did> {
    for (;;) {
      const pending = this.#results.get(connection)
      if (pending !== undefined) return (await withSignal(pending, options.signal)).did
      await new Promise<void>((resolve, reject) => {
        const done = (): void => {
          stopListening()
          options.signal?.removeEventListener('abort', abort)
          resolve()
        }
        const abort = (): void => {
          stopListening()
          reject(asError(options.signal?.reason))
        }
        const stopListening = this.#inboundStarted.on('started', done)
        options.signal?.addEventListener('abort', abort, { once: true })
      })
    }
  }

  #record(did: Did, seen: { name: string; remotePeer: string; status: 'authenticated' }): void {
    const before = this.#book.get(did)
    const peerIds = new Set(before?.peerIds ?? [])
    peerIds.add(seen.remotePeer)
    this.#book.set(did, {
      did,
      name: seen.name,
      peerIds: [...peerIds],
      lastSeen: Date.now(),
      status: seen.status,
      lastFailure: before?.lastFailure,
      failures: before?.failures ?? 0,
    })
    this.#events.emit('change')
  }

  #recordFailure(remotePeer: string, reason: AuthFailure): void {
    for (const record of this.#book.values()) {
      if (record.peerIds.includes(remotePeer)) {
        this.#book.set(record.did, {
          ...record,
          status: 'refused',
          lastFailure: reason,
          failures: record.failures + 1,
          lastSeen: Date.now(),
        })
      }
    }
    this.#events.emit('change')
  }
}

async function withSignal<T>(promise: Promise<T>, signal: AbortSignal | undefined): Promise<T> {
  if (signal === undefined) return await promise
  signal.throwIfAborted()
  return await new Promise<T>((resolve, reject) => {
    const abort = (): void => reject(asError(signal.reason))
    signal.addEventListener('abort', abort, { once: true })
    promise.then(resolve, reject).finally(() => signal.removeEventListener('abort', abort))
  })
}

export function peerAuth(init: PeerAuthInit): (components: PeerAuthComponents) => PeerAuth {
  return (components) => new DefaultPeerAuth(components, init)
}
