import * as cbor from '@ipld/dag-cbor'
import { MalformedMessageError } from './errors.ts'
import { decodeCborMap } from './cbor-map.ts'

/** Messages of /cas-disot/trust/1.0.0. See PROTOCOL.md. */
export type TrustMessage = { type: 'get-credentials' } | { type: 'credentials'; credentials: string[]; revocations: string | null }

export const MAX_TRUST_FRAME_BYTES = 1024 * 1024
const MAX_CREDENTIALS = 256

export function encodeTrustMessage(message: TrustMessage): Uint8Array {
  return cbor.encode(message)
}

export function decodeTrustMessage(bytes: Uint8Array): TrustMessage {
  const map = decodeCborMap(bytes)
  const keys = Object.keys(map).sort().join(',')
  if (map.type === 'get-credentials' && keys === 'type') return { type: 'get-credentials' }
  if (map.type === 'credentials' && keys === 'credentials,revocations,type') {
    const { credentials, revocations } = map
    if (!Array.isArray(credentials) || credentials.length > MAX_CREDENTIALS || !credentials.every((c) => typeof c === 'string')) {
      throw new MalformedMessageError('credentials must be a list of at most 256 strings')
    }
    if (revocations !== null && typeof revocations !== 'string') throw new MalformedMessageError('revocations must be a string or null')
    return { type: 'credentials', credentials: credentials, revocations }
  }
  throw new MalformedMessageError(`unexpected trust message ${JSON.stringify(map.type)?.slice(0, 32)} with keys ${keys}`)
}
