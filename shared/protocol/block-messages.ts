import * as cbor from '@ipld/dag-cbor'
import type { CID } from 'multiformats/cid'
import { decodeCid } from '../cas/cid.ts'
import { ERROR_REASONS, MalformedMessageError, type ErrorReason } from './errors.ts'
import { decodeCborMap, expectKeys } from './cbor-map.ts'

/**
 * Messages of /cas-disot/blocks/1.0.0, each a DAG-CBOR map in its own
 * length-prefixed frame. See PROTOCOL.md.
 */
export type BlockRequest = { type: 'want'; cid: CID }

export type BlockResponse =
  { type: 'block'; cid: CID; data: Uint8Array } | { type: 'missing'; cid: CID } | { type: 'error'; reason: ErrorReason }

export function encodeRequest(message: BlockRequest): Uint8Array {
  return cbor.encode({ type: message.type, cid: message.cid.bytes })
}

export function encodeResponse(message: BlockResponse): Uint8Array {
  switch (message.type) {
    case 'block':
      return cbor.encode({ type: 'block', cid: message.cid.bytes, data: message.data })
    case 'missing':
      return cbor.encode({ type: 'missing', cid: message.cid.bytes })
    case 'error':
      return cbor.encode({ type: 'error', reason: message.reason })
  }
}

export function decodeRequest(bytes: Uint8Array): BlockRequest {
  const map = decodeCborMap(bytes)
  if (map.type !== 'want') throw new MalformedMessageError(`unknown request type ${describe(map.type)}`)
  expectKeys(map, ['cid', 'type'])
  return { type: 'want', cid: cidField(map) }
}

export function decodeResponse(bytes: Uint8Array): BlockResponse {
  const map = decodeCborMap(bytes)
  switch (map.type) {
    case 'block': {
      expectKeys(map, ['cid', 'data', 'type'])
      if (!(map.data instanceof Uint8Array)) throw new MalformedMessageError('block data is not bytes')
      return { type: 'block', cid: cidField(map), data: map.data }
    }
    case 'missing':
      expectKeys(map, ['cid', 'type'])
      return { type: 'missing', cid: cidField(map) }
    case 'error': {
      expectKeys(map, ['reason', 'type'])
      const reason = ERROR_REASONS.find((r) => r === map.reason)
      if (reason === undefined) throw new MalformedMessageError(`unknown error reason ${describe(map.reason)}`)
      return { type: 'error', reason }
    }
    default:
      throw new MalformedMessageError(`unknown response type ${describe(map.type)}`)
  }
}

function cidField(map: Record<string, unknown>): CID {
  if (!(map.cid instanceof Uint8Array)) throw new MalformedMessageError('cid is not bytes')
  try {
    return decodeCid(map.cid)
  } catch (err) {
    throw new MalformedMessageError('cid does not parse', { cause: err })
  }
}

function describe(value: unknown): string {
  return typeof value === 'string' ? `"${value.slice(0, 32)}"` : typeof value
}
