import * as cbor from '@ipld/dag-cbor'
import { AUTH_FAILURES, type AuthFailure } from '../auth/errors.ts'
import { MalformedMessageError } from './errors.ts'
import { decodeCborMap, expectKeys } from './cbor-map.ts'

/** Messages of /cas-disot/auth/1.0.0: DAG-CBOR maps in length-prefixed frames. See PROTOCOL.md. */
export type AuthMessage =
  | { type: 'hello'; did: string; nonce: Uint8Array; name: string }
  | { type: 'proof'; jws: string }
  | { type: 'ok' }
  | { type: 'refused'; reason: AuthFailure }

export const AUTH_NONCE_BYTES = 32
export const MAX_AUTH_FRAME_BYTES = 4096
const MAX_NAME_CHARS = 64

export function encodeAuthMessage(message: AuthMessage): Uint8Array {
  return cbor.encode(message)
}

export function decodeAuthMessage(bytes: Uint8Array): AuthMessage {
  const m = decodeCborMap(bytes)
  switch (m.type) {
    case 'hello':
      expectKeys(m, ['did', 'name', 'nonce', 'type'])
      if (typeof m.did !== 'string' || !(m.nonce instanceof Uint8Array) || m.nonce.byteLength !== AUTH_NONCE_BYTES) {
        throw new MalformedMessageError('hello needs a DID and a 32-byte nonce')
      }
      if (typeof m.name !== 'string' || m.name.length > MAX_NAME_CHARS) throw new MalformedMessageError('hello name')
      return { type: 'hello', did: m.did, nonce: m.nonce, name: m.name }
    case 'proof':
      expectKeys(m, ['jws', 'type'])
      if (typeof m.jws !== 'string') throw new MalformedMessageError('proof needs a jws')
      return { type: 'proof', jws: m.jws }
    case 'ok':
      expectKeys(m, ['type'])
      return { type: 'ok' }
    case 'refused': {
      const reason = AUTH_FAILURES.find((r) => r === m.reason)
      expectKeys(m, ['reason', 'type'])
      if (reason === undefined) throw new MalformedMessageError('refused needs a known reason')
      return { type: 'refused', reason }
    }
    default:
      throw new MalformedMessageError(`unknown auth message type ${JSON.stringify(m.type)?.slice(0, 32)}`)
  }
}
