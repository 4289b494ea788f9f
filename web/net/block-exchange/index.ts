import type { ComponentLogger, Connection, Logger, Startable } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import type { BlockStore } from '../../../shared/cas/blocks.ts'
import { BLOCKS_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import { serveBlocks } from './server.ts'
import type { PeerAuth } from '../auth/index.ts'
import { StreamBlockSession, type BlockSession } from './session.ts'

export type { BlockSession } from './session.ts'

export interface BlockExchangeComponents {
  registrar: Registrar
  logger: ComponentLogger
  /** Our DID authentication (a service declared before this one): blocks go to authenticated connections only. */
  peerAuth: PeerAuth
}

export interface BlockExchangeInit {
  blockStore: BlockStore
  /** Concurrent inbound streams per connection. */
  maxInboundStreams?: number
}

export interface BlockExchange {
  /** Opens a pipelined request stream on this connection. */
  openSession(connection: Connection, options?: { signal?: AbortSignal }): Promise<BlockSession>
}

/** Serves our blocks on /cas-disot/blocks/1.0.0 and fetches others'. */
class DefaultBlockExchange implements BlockExchange, Startable {
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
      this.#auth.guard(async (stream) => {
        await serveBlocks(stream, this.#init.blockStore)
      }),
      { maxInboundStreams: this.#init.maxInboundStreams ?? 8 },
    )
  }

  async stop(): Promise<void> {
    await this.#registrar.unhandle(BLOCKS_PROTOCOL)
  }

  async openSession(connection: Connection, options: { signal?: AbortSignal } = {}): Promise<BlockSession> {
    await this.#auth.authenticated(connection, options)
    this.#log('opening blocks session to %p over %a', connection.remotePeer, connection.remoteAddr)
    const stream = await connection.newStream(BLOCKS_PROTOCOL, { signal: options.signal })
    return new StreamBlockSession(stream)
  }
}

export function blockExchange(init: BlockExchangeInit): (components: BlockExchangeComponents) => BlockExchange {
  return (components) => new DefaultBlockExchange(components, init)
}
