import type { Stream } from '@libp2p/interface'
import {
  AUTH_CLOCK_SKEW_SECONDS,
  AUTH_TOKEN_TTL_SECONDS,
  createAuthToken,
  verifyAuthToken,
  type AuthRole,
} from '../../../shared/auth/auth-token.ts'
import { AuthRefusedError } from '../../../shared/auth/errors.ts'
import { parseDid, type Did, type Identity } from '../../../shared/identity/did-key.ts'
import {
  AUTH_NONCE_BYTES,
  decodeAuthMessage,
  encodeAuthMessage,
  MAX_AUTH_FRAME_BYTES,
  type AuthMessage,
} from '../../../shared/protocol/auth-messages.ts'
import { readFrames, writeFrame } from '../../../shared/protocol/framing.ts'
import { hasName } from '../../../shared/errors.ts'
import type { ReplayGuard } from './replay-guard.ts'
import { logFailure, logOf } from '../../../shared/log.ts'

const log = logOf('auth')

export interface HandshakeParams {
  identity: Identity
  name: string
  /** Our peer ID and theirs, as Noise verified them for this connection. */
  peer: string
  remotePeer: string
  role: AuthRole
  replay: ReplayGuard
  signal: AbortSignal
}

export interface AuthenticatedPeer {
  did: Did
  name: string
  nonces: ConnectionNonces
}

/** The two random nonces of a connection's handshake: what binds anything else to this one connection. */
export interface ConnectionNonces {
  /** The nonce I sent; the other side signed it. */
  mine: Uint8Array
  /** The nonce the other side sent; I signed it. */
  theirs: Uint8Array
}

/**
 * Runs our side of the mutual DID handshake on one stream (see PROTOCOL.md).
 * Either both sides end up knowing the other's DID, or this throws an
 * AuthRefusedError and the other side is told why.
 */
export async function runHandshake(stream: Stream, params: HandshakeParams): Promise<AuthenticatedPeer> {
  const frames = readFrames(stream, MAX_AUTH_FRAME_BYTES)
  const read = async (): Promise<AuthMessage> => {
    const next = await frames.next()
    if (next.done === true) throw new AuthRefusedError('malformed', 'the stream ended')
    const message = decodeAuthMessage(next.value)
    if (message.type === 'refused') throw new AuthRefusedError(message.reason, 'refused by the other side')
    return message
  }
  const send = async (message: AuthMessage): Promise<void> =>
    await writeFrame(stream, encodeAuthMessage(message), { signal: params.signal })
  const nonce = crypto.getRandomValues(new Uint8Array(AUTH_NONCE_BYTES))
  const hello: AuthMessage = { type: 'hello', did: params.identity.did, nonce, name: params.name }

  try {
    let theirs: Extract<AuthMessage, { type: 'hello' }>
    if (params.role === 'dialer') {
      await send(hello)
      theirs = expectHello(await read())
      await checkProof(await read(), theirs, nonce, 'listener', params)
      await send({ type: 'proof', jws: await prove(theirs, params) })
      if ((await read()).type !== 'ok') throw new AuthRefusedError('malformed', 'expected ok')
    } else {
      theirs = expectHello(await read())
      await send(hello)
      await send({ type: 'proof', jws: await prove(theirs, params) })
      await checkProof(await read(), theirs, nonce, 'dialer', params)
      await send({ type: 'ok' })
    }
    return { did: parseDid(theirs.did), name: theirs.name, nonces: { mine: nonce, theirs: theirs.nonce } }
  } catch (err) {
    const refusal = toRefusal(err)
    if (!/refused by the other side/.test(refusal.message)) {
      await send({ type: 'refused', reason: refusal.reason }).catch(logFailure(log, 'telling the other side it was refused'))
    }
    throw refusal
  }
}

function expectHello(message: AuthMessage): Extract<AuthMessage, { type: 'hello' }> {
  if (message.type !== 'hello') throw new AuthRefusedError('malformed', 'expected hello')
  return message
}

async function prove(theirs: Extract<AuthMessage, { type: 'hello' }>, params: HandshakeParams): Promise<string> {
  return await createAuthToken(params.identity, {
    nonce: theirs.nonce,
    audience: theirs.did,
    peer: params.peer,
    remotePeer: params.remotePeer,
    role: params.role,
  })
}

async function checkProof(
  message: AuthMessage,
  theirs: Extract<AuthMessage, { type: 'hello' }>,
  nonce: Uint8Array,
  role: AuthRole,
  params: HandshakeParams,
): Promise<void> {
  if (message.type !== 'proof') throw new AuthRefusedError('malformed', 'expected proof')
  await verifyAuthToken(message.jws, {
    issuer: theirs.did,
    audience: params.identity.did,
    nonce,
    remotePeer: params.remotePeer,
    peer: params.peer,
    role,
  })
  const keepMs = (AUTH_TOKEN_TTL_SECONDS + 2 * AUTH_CLOCK_SKEW_SECONDS) * 1000
  if (!params.replay.firstSeen(message.jws, Date.now() + keepMs)) throw new AuthRefusedError('replayed')
}

function toRefusal(err: unknown): AuthRefusedError {
  if (err instanceof AuthRefusedError) return err
  if (hasName(err, 'AbortError') || hasName(err, 'TimeoutError')) return new AuthRefusedError('timeout', '', { cause: err })
  return new AuthRefusedError('malformed', err instanceof Error ? err.message : String(err), { cause: err })
}
