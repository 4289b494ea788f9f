import * as cbor from '@ipld/dag-cbor'
import { MalformedMessageError } from './errors.ts'

/** Decodes a frame body that must be a DAG-CBOR map; anything else is a MalformedMessageError. */
export function decodeCborMap(bytes: Uint8Array): Record<string, unknown> {
  let value: unknown
  try {
    value = cbor.decode(bytes)
  } catch (err) {
    throw new MalformedMessageError('not DAG-CBOR', { cause: err })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value) || value instanceof Uint8Array) {
    throw new MalformedMessageError('not a map')
  }
  return value as Record<string, unknown>
}

/** Requires exactly these keys: a missing or extra key is malformed. */
export function expectKeys(map: Record<string, unknown>, keys: string[]): void {
  const actual = Object.keys(map).sort()
  const wanted = [...keys].sort()
  if (actual.length !== wanted.length || actual.some((k, i) => k !== wanted[i])) {
    throw new MalformedMessageError(`expected keys ${wanted.join(',')}, got ${actual.join(',')}`)
  }
}
