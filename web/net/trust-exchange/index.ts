import { serviceDependencies, type ComponentLogger, type Connection, type Logger, type Startable, type Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { base64url } from 'multiformats/bases/base64'
import {
  decodeTrustMessage,
  encodeTrustMessage,
  MAX_TRUST_FRAME_BYTES,
  type TrustMessage,
} from '../../../shared/protocol/trust-messages.ts'
import { readFrames, writeFrame } from '../../../shared/protocol/framing.ts'
import { MalformedMessageError } from '../../../shared/protocol/errors.ts'
import { TRUST_PROTOCOL, TRUST_PROTOCOL_V1 } from '../../../shared/protocol/protocol-ids.ts'
import { hasName } from '../../../shared/errors.ts'
import { PEER_AUTH_CAPABILITY, type PeerAuth } from '../auth/index.ts'
import { logFailure } from '../../../shared/log.ts'
import type { PeerTraffic } from '../traffic.ts'

/** The credentials an issuer hands over unbound, on /cas-disot/trust/1.0.0. */
export interface TrustBundle {
  credentials: string[]
  revocations: string | undefined
}

/** What a peer presents on one connection: a VP JWT bound to it, and its revocation list. */
export interface Presented {
  vp: string
  revocations: string | undefined
}

/** A peer's answer: a presentation, with the challenge it must carry; or, from a peer not yet updated, a bundle. */
export type TrustAnswer = ({ kind: 'presentation'; challenge: string } & Presented) | ({ kind: 'bundle' } & TrustBundle)

export interface TrustExchangeComponents {
  registrar: Registrar
  logger: ComponentLogger
  peerAuth: PeerAuth
}

export interface TrustExchangeInit {
  /** A presentation for the peer on the other end: challenge = its handshake nonce, domain = its DID. */
  present: (binding: { challenge: string; domain: string }) => Promise<Presented>
  /** What peers not yet updated get on /cas-disot/trust/1.0.0: the credentials we issued. */
  bundle: () => TrustBundle
  /** Concurrent requests per connection (a peer asks once per connection). */
  maxInboundStreams?: number
  /** Counts trust traffic per peer, when given. */
  traffic?: PeerTraffic
}

export interface TrustExchange {
  /** Asks an authenticated peer to present its credentials. The caller verifies the answer. */
  fetch(connection: Connection, options?: { signal?: AbortSignal }): Promise<TrustAnswer>
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
    const options = { maxInboundStreams: this.#init.maxInboundStreams ?? 2, runOnLimitedConnection: true }
    await this.#c.registrar.handle(
      TRUST_PROTOCOL,
      this.#c.peerAuth.guard(async (stream, connection) => {
        if (!(await this.#expect(stream, connection, 'get-presentation'))) return
        const nonces = this.#c.peerAuth.noncesOf(connection)
        const did = this.#c.peerAuth.didOf(connection)
        if (nonces === undefined || did === undefined) throw new MalformedMessageError('no handshake to bind a presentation to')
        const presented = await this.#init.present({ challenge: base64url.baseEncode(nonces.theirs), domain: did })
        await this.#answer(stream, { type: 'presentation', vp: presented.vp, revocations: presented.revocations ?? null })
      }),
      options,
    )
    await this.#c.registrar.handle(
      TRUST_PROTOCOL_V1,
      this.#c.peerAuth.guard(async (stream, connection) => {
        if (!(await this.#expect(stream, connection, 'get-credentials'))) return
        const bundle = this.#init.bundle()
        await this.#answer(stream, { type: 'credentials', credentials: bundle.credentials, revocations: bundle.revocations ?? null })
      }),
      options,
    )
  }

  async stop(): Promise<void> {
    await this.#c.registrar.unhandle(TRUST_PROTOCOL)
    await this.#c.registrar.unhandle(TRUST_PROTOCOL_V1)
  }

  async fetch(connection: Connection, options: { signal?: AbortSignal } = {}): Promise<TrustAnswer> {
    await this.#c.peerAuth.authenticated(connection, options)
    const nonces = this.#c.peerAuth.noncesOf(connection)
    if (nonces === undefined) throw new MalformedMessageError('no handshake to bind a presentation to')
    let stream: Stream
    try {
      stream = await connection.newStream(TRUST_PROTOCOL, { ...options, runOnLimitedConnection: true })
    } catch (err) {
      if (!hasName(err, 'UnsupportedProtocolError')) throw err
      return await this.#fetchBundle(connection, options)
    }
    const reply = await this.#ask(stream, connection, { type: 'get-presentation' }, options)
    if (reply.type !== 'presentation') throw new MalformedMessageError('expected a presentation')
    return { kind: 'presentation', challenge: base64url.baseEncode(nonces.mine), vp: reply.vp, revocations: reply.revocations ?? undefined }
  }

  async #fetchBundle(connection: Connection, options: { signal?: AbortSignal }): Promise<TrustAnswer> {
    const stream = await connection.newStream(TRUST_PROTOCOL_V1, { ...options, runOnLimitedConnection: true })
    const reply = await this.#ask(stream, connection, { type: 'get-credentials' }, options)
    if (reply.type !== 'credentials') throw new MalformedMessageError('expected credentials')
    return { kind: 'bundle', credentials: reply.credentials, revocations: reply.revocations ?? undefined }
  }

  async #ask(stream: Stream, connection: Connection, request: TrustMessage, options: { signal?: AbortSignal }): Promise<TrustMessage> {
    this.#init.traffic?.track(stream, connection.remotePeer.toString())
    await writeFrame(stream, encodeTrustMessage(request), options)
    const reply = await readFrames(stream, MAX_TRUST_FRAME_BYTES).next()
    await stream.close().catch(logFailure(this.#log, 'closing the trust stream'))
    if (reply.done === true) throw new MalformedMessageError('no answer')
    return decodeTrustMessage(reply.value)
  }

  async #expect(stream: Stream, connection: Connection, type: 'get-presentation' | 'get-credentials'): Promise<boolean> {
    this.#init.traffic?.track(stream, connection.remotePeer.toString())
    const first = await readFrames(stream, 64).next()
    if (first.done === true || decodeTrustMessage(first.value).type !== type) {
      stream.abort(new MalformedMessageError(`expected ${type}`))
      return false
    }
    return true
  }

  async #answer(stream: Stream, message: TrustMessage): Promise<void> {
    await writeFrame(stream, encodeTrustMessage(message))
    await stream.close()
  }
}

export function trustExchange(init: TrustExchangeInit): (components: TrustExchangeComponents) => TrustExchange {
  return (components) => new DefaultTrustExchange(components, init)
}
