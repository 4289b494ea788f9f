import * as cbor from '@ipld/dag-cbor'
import { MalformedMessageError } from './errors.ts'
import { decodeCborMap } from './cbor-map.ts'

/** Messages of /cas-disot/trust/2.0.0 (presentations) and /cas-disot/trust/1.0.0 (bundles). See PROTOCOL.md. */
export type TrustMessage =
  | { type: 'get-presentation' }
  | { type: 'presentation'; vp: string; revocations: string | null }
  | { type: 'get-credentials' }
  | { type: 'credentials'; credentials: string[]; revocations: string | null }

export const MAX_TRUST_FRAME_BYTES = 1024 * 1024
const MAX_CREDENTIALS = 256

export function encodeTrustMessage(message: TrustMessage): Uint8Array {
  return cbor.encode(message)
}

export function decodeTrustMessage(bytes: Uint8Array): TrustMessage {
  const map = decodeCborMap(bytes)
  const keys = Object.keys(map).sort().join(',')
  if ((map.type === 'get-presentation' || map.type === 'get-credentials') && keys === 'type') return { type: map.type }
  if (map.type === 'presentation' && keys === 'revocations,type,vp') {
    if (typeof map.vp !== 'string') throw new MalformedMessageError('vp must be a string')
    return { type: 'presentation', vp: map.vp, revocations: revocationsOf(map.revocations) }
  }
  if (map.type === 'credentials' && keys === 'credentials,revocations,type') {
    const { credentials } = map
    if (!Array.isArray(credentials) || credentials.length > MAX_CREDENTIALS || !credentials.every((c) => typeof c === 'string')) {
      throw new MalformedMessageError('credentials must be a list of at most 256 strings')
    }
    return { type: 'credentials', credentials: credentials, revocations: revocationsOf(map.revocations) }
  }
  throw new MalformedMessageError(`unexpected trust message ${JSON.stringify(map.type)?.slice(0, 32)} with keys ${keys}`)
}

function revocationsOf(value: unknown): string | null {
  if (value !== null && typeof value !== 'string') throw new MalformedMessageError('revocations must be a string or null')
  return value
}
