import { serviceDependencies, type ComponentLogger, type Connection, type Logger, type Startable } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import type { BlockStore } from '../../../shared/cas/blocks.ts'
import { BLOCKS_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import { serveBlocks } from './server.ts'
import { PEER_AUTH_CAPABILITY, type PeerAuth } from '../auth/index.ts'
import type { CID } from 'multiformats/cid'
import type { Did } from '../../../shared/identity/did-key.ts'
import { StreamBlockSession, type BlockSession } from './session.ts'
import type { PeerTraffic } from '../traffic.ts'

export type { BlockSession } from './session.ts'

export interface BlockExchangeComponents {
  registrar: Registrar
  logger: ComponentLogger
  /** Our DID authentication (a service declared before this one): blocks go to authenticated connections only. */
  peerAuth: PeerAuth
}

export interface BlockExchangeInit {
  blockStore: BlockStore
  /** Whether the peer proven to be `did` may receive `cid`. Without it, every authenticated peer may. */
  authorize?: (did: Did, cid: CID) => Promise<boolean>
  /** Concurrent inbound streams per connection. */
  maxInboundStreams?: number
  /** Counts block traffic per peer, when given. */
  traffic?: PeerTraffic
}

export interface BlockExchange {
  /** Opens a pipelined request stream on this connection. */
  openSession(connection: Connection, options?: { signal?: AbortSignal }): Promise<BlockSession>
}

/** Serves our blocks on /cas-disot/blocks/1.0.0 and fetches others'. */
class DefaultBlockExchange implements BlockExchange, Startable {
  readonly [serviceDependencies] = [PEER_AUTH_CAPABILITY]
  readonly [Symbol.toStringTag] = '@cas-disot/blocks'
  readonly #registrar: Registrar
  readonly #auth: PeerAuth
  readonly #log: Logger
  readonly #init: BlockExchangeInit

  constructor(components: BlockExchangeComponents, init: BlockExchangeInit) {
    this.#registrar = components.registrar
    this.#auth = components.peerAuth
    this.#log = components.logger.forComponent('cas-disot:blocks')
    this.#init = init
  }

  async start(): Promise<void> {
    await this.#registrar.handle(
      BLOCKS_PROTOCOL,
      this.#auth.guard(async (stream, connection) => {
        this.#init.traffic?.track(stream, connection.remotePeer.toString())
        const did = this.#auth.didOf(connection)
        const authorize = this.#init.authorize
        await serveBlocks(stream, this.#init.blockStore, {
          may: async (cid) => did !== undefined && (authorize === undefined || (await authorize(did, cid))),
        })
      }),
      { maxInboundStreams: this.#init.maxInboundStreams ?? 8, runOnLimitedConnection: true },
    )
  }

  async stop(): Promise<void> {
    await this.#registrar.unhandle(BLOCKS_PROTOCOL)
  }

  async openSession(connection: Connection, options: { signal?: AbortSignal } = {}): Promise<BlockSession> {
    await this.#auth.authenticated(connection, options)
    this.#log('opening blocks session to %p over %a', connection.remotePeer, connection.remoteAddr)
    const stream = await connection.newStream(BLOCKS_PROTOCOL, { signal: options.signal, runOnLimitedConnection: true })
    this.#init.traffic?.track(stream, connection.remotePeer.toString())
    return new StreamBlockSession(stream)
  }
}

export function blockExchange(init: BlockExchangeInit): (components: BlockExchangeComponents) => BlockExchange {
  return (components) => new DefaultBlockExchange(components, init)
}
