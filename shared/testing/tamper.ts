import { fromString, toString } from 'uint8arrays'

/**
 * Tampering helpers for tests. Each one throws when its change would leave the
 * input as it was, so a tamper test can never pass by tampering with nothing.
 */
export class NothingTamperedError extends Error {
  static override name = 'NothingTamperedError'
  constructor(what: string) {
    super(`The tamper changed nothing: ${what}`)
    this.name = 'NothingTamperedError'
  }
}

/** A base64url string with one bit of its decoded byte at `index` flipped. */
export function flipBase64urlBit(segment: string, index: number): string {
  const bytes = fromString(segment, 'base64url')
  if (index >= bytes.length) throw new NothingTamperedError(`byte ${index} of a ${bytes.length}-byte segment`)
  bytes[index] = (bytes[index] as number) ^ 0x01
  return toString(bytes, 'base64url')
}

/** A base64 string with one bit of its decoded byte at `index` flipped, padded only if it was. */
export function flipBase64Bit(text: string, index: number): string {
  const alphabet = text.endsWith('=') ? 'base64pad' : 'base64'
  const bytes = fromString(text, alphabet)
  if (index >= bytes.length) throw new NothingTamperedError(`byte ${index} of ${bytes.length}`)
  bytes[index] = (bytes[index] as number) ^ 0x01
  return toString(bytes, alphabet)
}

/** A compact JWS whose payload has `from` replaced by `to`, its header and signature untouched. */
export function replaceInPayload(jws: string, from: string, to: string): string {
  const [h, p, s] = jws.split('.') as [string, string, string]
  const payload = toString(fromString(p, 'base64url'), 'utf8')
  if (from === to || !payload.includes(from)) throw new NothingTamperedError(`"${from}" is not in the payload`)
  return [h, toString(fromString(payload.replace(from, to), 'utf8'), 'base64url'), s].join('.')
}

/** A compact JWS with one bit of its signature flipped. */
export function flipSignatureBit(jws: string, index = 10): string {
  const [h, p, s] = jws.split('.') as [string, string, string]
  return [h, p, flipBase64urlBit(s, index)].join('.')
}

/** A copy of `bytes` with every bit of one byte flipped. */
export function flipByte(bytes: Uint8Array, index: number): Uint8Array {
  if (index < 0 || index >= bytes.byteLength) throw new NothingTamperedError(`byte ${index} of ${bytes.byteLength}`)
  const copy = Uint8Array.from(bytes)
  copy[index] = (copy[index] as number) ^ 0xff
  return copy
}
