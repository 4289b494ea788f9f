import { describe, expect, it } from 'vitest'
import * as cbor from '@ipld/dag-cbor'
import * as lp from 'it-length-prefixed'
import { Uint8ArrayList } from 'uint8arraylist'
import { fromString, toString } from 'uint8arrays'
import { parseContentId } from '../cas/cid.ts'
import { pseudoRandomBytes } from '../testing/bytes.ts'
import { encodeResponse } from './block-messages.ts'
import { decodeResponseFrame, encodeBlockFrame } from './block-frame.ts'

const HELLO = parseContentId('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
const hex = (b: Uint8Array) => toString(b, 'base16')
/** The frame's bytes in pieces of `size`, as a transport may deliver them. */
const inPieces = (frame: Uint8Array, size: number) => {
  const list = new Uint8ArrayList()
  for (let at = 0; at < frame.byteLength; at += size) list.append(frame.subarray(at, at + size))
  return list
}
/** Every byte-string head form: short, 1-, 2- and 4-byte lengths, at each edge. */
const SIZES = [0, 1, 23, 24, 255, 256, 65_535, 65_536, 256 * 1024, 2 * 1024 * 1024]

describe('a block response frame', () => {
  it('is byte for byte the generic encoding, length prefix included, for every length form', () => {
    for (const size of SIZES) {
      const data = pseudoRandomBytes(size, size + 1)
      const generic = lp.encode.single(encodeResponse({ type: 'block', cid: HELLO, data })).subarray()
      expect(hex(encodeBlockFrame(HELLO, data)), `${size} bytes`).toBe(hex(generic))
    }
  })

  it('reads back, whole or in pieces, with its bytes in a buffer of their own', () => {
    for (const size of SIZES) {
      const data = pseudoRandomBytes(size, size + 2)
      // the frame's body: what the length prefix announces
      const body = encodeBlockFrame(HELLO, data).subarray(varintBytes(size))
      for (const piece of [7, 16 * 1024, body.byteLength]) {
        const response = decodeResponseFrame(inPieces(body, piece))
        expect(response.type).toBe('block')
        if (response.type !== 'block') continue
        expect(response.cid.equals(HELLO)).toBe(true)
        expect(hex(response.data) === hex(data), `${size} bytes in pieces of ${piece}`).toBe(true)
        expect(response.data.byteOffset === 0 && response.data.byteLength === response.data.buffer.byteLength).toBe(true)
      }
    }
  })

  it('leaves every other frame to the full decoder, which answers as before', () => {
    const missing = encodeResponse({ type: 'missing', cid: HELLO })
    expect(decodeResponseFrame(new Uint8ArrayList(missing))).toMatchObject({ type: 'missing' })
    // a non-shortest length head for the data is not canonical: the full decoder refuses it
    const canonical = encodeResponse({ type: 'block', cid: HELLO, data: new TextEncoder().encode('hi') })
    const longHead = fromString(hex(canonical).replace('646461746142', '64646174615802'), 'base16')
    expect(() => decodeResponseFrame(new Uint8ArrayList(longHead))).toThrow(/DAG-CBOR/)
    // an extra key, a wrong type, bytes cut short: each one malformed, not a block
    const extra = cbor.encode({ type: 'block', cid: HELLO.bytes, data: new Uint8Array(3), more: 1 })
    expect(() => decodeResponseFrame(new Uint8ArrayList(extra))).toThrow(/expected keys/)
    const notBlock = cbor.encode({ type: 'blocks', cid: HELLO.bytes, data: new Uint8Array(3) })
    expect(() => decodeResponseFrame(new Uint8ArrayList(notBlock))).toThrow(/unknown response type/)
    expect(() => decodeResponseFrame(new Uint8ArrayList(canonical.subarray(0, canonical.byteLength - 1)))).toThrow(/DAG-CBOR/)
  })
})

/** How many bytes the varint prefix of a frame carrying `size` data bytes takes. */
function varintBytes(size: number): number {
  return (
    encodeBlockFrame(HELLO, new Uint8Array(size)).byteLength -
    encodeResponse({ type: 'block', cid: HELLO, data: new Uint8Array(size) }).byteLength
  )
}
