import { serviceDependencies, type ComponentLogger, type Connection, type Logger, type Startable } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { decodeTrustMessage, encodeTrustMessage, MAX_TRUST_FRAME_BYTES } from '../../../shared/protocol/trust-messages.ts'
import { readFrames, writeFrame } from '../../../shared/protocol/framing.ts'
import { MalformedMessageError } from '../../../shared/protocol/errors.ts'
import { TRUST_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import { PEER_AUTH_CAPABILITY, type PeerAuth } from '../auth/index.ts'
import { logFailure } from '../../../shared/log.ts'
import type { PeerTraffic } from '../traffic.ts'

export interface TrustBundle {
  credentials: string[]
  revocations: string | undefined
}

export interface TrustExchangeComponents {
  registrar: Registrar
  logger: ComponentLogger
  peerAuth: PeerAuth
}

export interface TrustExchangeInit {
  /** What we hand out: the credentials we issued, and our revocation list. */
  bundle: () => TrustBundle
  /** Concurrent requests per connection (a peer asks once per connection). */
  maxInboundStreams?: number
  /** Counts trust traffic per peer, when given. */
  traffic?: PeerTraffic
}

export interface TrustExchange {
  /** Asks an authenticated peer for the credentials it issued. The caller verifies them. */
  fetch(connection: Connection, options?: { signal?: AbortSignal }): Promise<TrustBundle>
}

class DefaultTrustExchange implements TrustExchange, Startable {
  readonly [serviceDependencies] = [PEER_AUTH_CAPABILITY]
  readonly [Symbol.toStringTag] = '@cas-disot/trust-exchange'
  readonly #c: TrustExchangeComponents
  readonly #log: Logger
  readonly #init: TrustExchangeInit

  constructor(components: TrustExchangeComponents, init: TrustExchangeInit) {
    this.#c = components
    this.#log = components.logger.forComponent('cas-disot:trust-exchange')
    this.#init = init
  }

  async start(): Promise<void> {
    await this.#c.registrar.handle(
      TRUST_PROTOCOL,
      this.#c.peerAuth.guard(async (stream, connection) => {
        this.#init.traffic?.track(stream, connection.remotePeer.toString())
        const frames = readFrames(stream, 64)
        const first = await frames.next()
        if (first.done === true || decodeTrustMessage(first.value).type !== 'get-credentials') {
          stream.abort(new MalformedMessageError('expected get-credentials'))
          return
        }
        const bundle = this.#init.bundle()
        await writeFrame(
          stream,
          encodeTrustMessage({ type: 'credentials', credentials: bundle.credentials, revocations: bundle.revocations ?? null }),
        )
        await stream.close()
      }),
      { maxInboundStreams: this.#init.maxInboundStreams ?? 2, runOnLimitedConnection: true },
    )
  }

  async stop(): Promise<void> {
    await this.#c.registrar.unhandle(TRUST_PROTOCOL)
  }

  async fetch(connection: Connection, options: { signal?: AbortSignal } = {}): Promise<TrustBundle> {
    await this.#c.peerAuth.authenticated(connection, options)
    const stream = await connection.newStream(TRUST_PROTOCOL, { ...options, runOnLimitedConnection: true })
    this.#init.traffic?.track(stream, connection.remotePeer.toString())
    await writeFrame(stream, encodeTrustMessage({ type: 'get-credentials' }), options)
    const reply = await readFrames(stream, MAX_TRUST_FRAME_BYTES).next()
    await stream.close().catch(logFailure(this.#log, 'closing the trust stream'))
    if (reply.done === true) throw new MalformedMessageError('no answer')
    const message = decodeTrustMessage(reply.value)
    if (message.type !== 'credentials') throw new MalformedMessageError('expected credentials')
    return { credentials: message.credentials, revocations: message.revocations ?? undefined }
  }
}

export function trustExchange(init: TrustExchangeInit): (components: TrustExchangeComponents) => TrustExchange {
  return (components) => new DefaultTrustExchange(components, init)
}
