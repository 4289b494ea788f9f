import * as cbor from '@ipld/dag-cbor'
import { AUTH_FAILURES, type AuthFailure } from '../auth/errors.ts'
import { MalformedMessageError } from './errors.ts'

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
  let value: unknown
  try {
    value = cbor.decode(bytes)
  } catch (err) {
    throw new MalformedMessageError('not DAG-CBOR', { cause: err })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedMessageError('not a map')
  const m = value as Record<string, unknown>
  const keys = Object.keys(m).sort().join(',')
  switch (m.type) {
    case 'hello':
      if (keys !== 'did,name,nonce,type') throw new MalformedMessageError(`hello keys ${keys}`)
      if (typeof m.did !== 'string' || !(m.nonce instanceof Uint8Array) || m.nonce.byteLength !== AUTH_NONCE_BYTES) {
        throw new MalformedMessageError('hello needs a DID and a 32-byte nonce')
      }
      if (typeof m.name !== 'string' || m.name.length > MAX_NAME_CHARS) throw new MalformedMessageError('hello name')
      return { type: 'hello', did: m.did, nonce: m.nonce, name: m.name }
    case 'proof':
      if (keys !== 'jws,type' || typeof m.jws !== 'string') throw new MalformedMessageError('proof needs a jws')
      return { type: 'proof', jws: m.jws }
    case 'ok':
      if (keys !== 'type') throw new MalformedMessageError(`ok keys ${keys}`)
      return { type: 'ok' }
    case 'refused': {
      const reason = AUTH_FAILURES.find((r) => r === m.reason)
      if (keys !== 'reason,type' || reason === undefined) throw new MalformedMessageError('refused needs a known reason')
      return { type: 'refused', reason }
    }
    default:
      throw new MalformedMessageError(`unknown auth message type ${JSON.stringify(m.type)?.slice(0, 32)}`)
  }
}
