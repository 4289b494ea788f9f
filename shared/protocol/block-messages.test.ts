import { describe, expect, it } from 'vitest'
import * as cbor from '@ipld/dag-cbor'
import { fromString, toString } from 'uint8arrays'
import { parseContentId } from '../cas/cid.ts'
import { decodeRequest, decodeResponse, encodeRequest, encodeResponse } from './block-messages.ts'

// The fixed-byte vectors of PROTOCOL.md (frame bodies, without the varint prefix).
const HELLO = parseContentId('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const CID_HEX = '01551220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
const VECTORS = {
  want: `a2636369645824${CID_HEX}64747970656477616e74`,
  block: `a3636369645824${CID_HEX}64646174614b68656c6c6f20776f726c64647479706565626c6f636b`,
  missing: `a2636369645824${CID_HEX}6474797065676d697373696e67`,
  error: 'a26474797065656572726f7266726561736f6e696d616c666f726d6564',
}
const hex = (b: Uint8Array) => toString(b, 'base16')
const bytes = (h: string) => fromString(h, 'base16')

describe('blocks protocol test vectors', () => {
  it('encodes each message to the documented bytes', () => {
    expect(hex(encodeRequest({ type: 'want', cid: HELLO }))).toBe(VECTORS.want)
    const data = new TextEncoder().encode('hello world')
    expect(hex(encodeResponse({ type: 'block', cid: HELLO, data }))).toBe(VECTORS.block)
    expect(hex(encodeResponse({ type: 'missing', cid: HELLO }))).toBe(VECTORS.missing)
    expect(hex(encodeResponse({ type: 'error', reason: 'malformed' }))).toBe(VECTORS.error)
  })

  it('decodes the documented bytes back', () => {
    expect(decodeRequest(bytes(VECTORS.want)).cid.equals(HELLO)).toBe(true)
    const block = decodeResponse(bytes(VECTORS.block))
    expect(block.type === 'block' && new TextDecoder().decode(block.data)).toBe('hello world')
    expect(decodeResponse(bytes(VECTORS.missing)).type).toBe('missing')
    expect(decodeResponse(bytes(VECTORS.error))).toEqual({ type: 'error', reason: 'malformed' })
  })
})

describe('blocks protocol decoding refuses bad input', () => {
  const cases: Array<[string, Uint8Array]> = [
    ['random bytes', bytes('ff00ff00')],
    ['a CBOR list', cbor.encode([1, 2])],
    ['unknown type', cbor.encode({ type: 'gimme', cid: HELLO.bytes })],
    ['extra key', cbor.encode({ type: 'want', cid: HELLO.bytes, extra: 1 })],
    ['cid as string', cbor.encode({ type: 'want', cid: HELLO.toString() })],
    ['cid bytes that do not parse', cbor.encode({ type: 'want', cid: bytes('0155') })],
    ['sha1 cid', cbor.encode({ type: 'want', cid: bytes('01551114' + '00'.repeat(20)) })],
    ['truncated frame', bytes(VECTORS.want.slice(0, 20))],
  ]
  for (const [label, input] of cases) {
    it(`request: ${label}`, () => {
      expect(() => decodeRequest(input)).toThrowError(expect.objectContaining({ name: 'MalformedMessageError' }))
    })
  }

  it('response: unknown error reason', () => {
    expect(() => decodeResponse(cbor.encode({ type: 'error', reason: 'nope' }))).toThrowError(
      expect.objectContaining({ name: 'MalformedMessageError' }),
    )
  })

  it('response: block data of the wrong type', () => {
    expect(() => decodeResponse(cbor.encode({ type: 'block', cid: HELLO.bytes, data: 'x' }))).toThrowError(
      expect.objectContaining({ name: 'MalformedMessageError' }),
    )
  })
})
