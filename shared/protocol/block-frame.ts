import type { Uint8ArrayList } from 'uint8arraylist'
import type { CID } from 'multiformats/cid'
import { varint } from 'multiformats'
import { decodeResponse, type BlockResponse } from './block-messages.ts'
import { decodeCid } from '../cas/cid.ts'

/**
 * The `block` response, the one message that carries a block's bytes, framed
 * without copying them more than once. Its bytes are exactly those of
 * `writeFrame(encodeResponse(...))` (canonical DAG-CBOR, keys `cid`, `data`,
 * `type`), so nothing changes on the wire; a block is large, and on a busy
 * device each copy of it costs about a millisecond.
 */

const MAP_OF_3 = 0xa3
const KEY_CID = Uint8Array.of(0x63, 0x63, 0x69, 0x64)
const KEY_DATA = Uint8Array.of(0x64, 0x64, 0x61, 0x74, 0x61)
const TYPE_BLOCK = Uint8Array.of(0x64, 0x74, 0x79, 0x70, 0x65, 0x65, 0x62, 0x6c, 0x6f, 0x63, 0x6b)

/** The length-prefixed frame of a `block` response in one buffer: the block's bytes copied once, with no second copy to join prefix and body. */
export function encodeBlockFrame(cid: CID, data: Uint8Array): Uint8Array {
  const cidHead = bytesHead(cid.bytes.byteLength)
  const dataHead = bytesHead(data.byteLength)
  const bodyLength =
    1 +
    KEY_CID.byteLength +
    cidHead.byteLength +
    cid.bytes.byteLength +
    KEY_DATA.byteLength +
    dataHead.byteLength +
    data.byteLength +
    TYPE_BLOCK.byteLength
  // the frame's length prefix: an unsigned varint, as it-length-prefixed writes it
  const frame = new Uint8Array(varint.encodingLength(bodyLength) + bodyLength)
  varint.encodeTo(bodyLength, frame)
  let at = varint.encodingLength(bodyLength)
  for (const part of [Uint8Array.of(MAP_OF_3), KEY_CID, cidHead, cid.bytes, KEY_DATA, dataHead, data, TYPE_BLOCK]) {
    frame.set(part, at)
    at += part.byteLength
  }
  return frame
}

/**
 * A response frame as it arrived (possibly in several pieces). A `block`
 * response in the canonical form is read in place and its bytes copied once,
 * into a buffer of their own; anything else goes through the full decoder,
 * which checks it as strictly as ever.
 */
export function decodeResponseFrame(frame: Uint8ArrayList): BlockResponse {
  return blockInPlace(frame) ?? decodeResponse(frame.subarray())
}

/** The canonical `block` response read in place, or undefined when the frame is anything else. */
function blockInPlace(frame: Uint8ArrayList): BlockResponse | undefined {
  // the head: map, "cid", the CID's bytes, "data" and the data's byte-string head fit in the first 128 bytes
  const head = frame.subarray(0, Math.min(frame.byteLength, 128))
  let at = 0
  if (head[at++] !== MAP_OF_3 || !startsWith(head, at, KEY_CID)) return undefined
  at += KEY_CID.byteLength
  const cidField = readBytesHead(head, at)
  if (cidField === undefined) return undefined
  at = cidField.start
  const cidEnd = at + cidField.length
  if (cidEnd > head.byteLength || !startsWith(head, cidEnd, KEY_DATA)) return undefined
  const dataField = readBytesHead(head, cidEnd + KEY_DATA.byteLength)
  if (dataField === undefined) return undefined
  const dataEnd = dataField.start + dataField.length
  if (dataEnd + TYPE_BLOCK.byteLength !== frame.byteLength) return undefined
  if (!startsWith(frame.subarray(dataEnd), 0, TYPE_BLOCK)) return undefined
  let cid: CID
  try {
    cid = decodeCid(head.slice(at, cidEnd))
  } catch {
    // the full decoder names what is wrong with it
    return undefined
  }
  return { type: 'block', cid, data: ownCopy(frame.sublist(dataField.start, dataEnd)) }
}

/** The pieces' bytes in a new buffer of exactly their length (a pooled one would carry its neighbours into storage). */
function ownCopy(pieces: Uint8ArrayList): Uint8Array {
  const out = new Uint8Array(pieces.byteLength)
  let at = 0
  for (const piece of pieces) {
    out.set(piece, at)
    at += piece.byteLength
  }
  return out
}

/** A CBOR byte-string head (major type 2) in its shortest form, as canonical DAG-CBOR requires. */
function bytesHead(length: number): Uint8Array {
  if (length < 24) return Uint8Array.of(0x40 + length)
  if (length < 0x100) return Uint8Array.of(0x58, length)
  if (length < 0x10000) return Uint8Array.of(0x59, length >> 8, length & 0xff)
  return Uint8Array.of(0x5a, (length >>> 24) & 0xff, (length >> 16) & 0xff, (length >> 8) & 0xff, length & 0xff)
}

/** Reads a byte-string head written as `bytesHead` writes it; undefined for any other form. */
function readBytesHead(bytes: Uint8Array, at: number): { start: number; length: number } | undefined {
  const first = bytes[at] ?? 0
  const extra = first >= 0x40 && first < 0x58 ? 0 : first === 0x58 ? 1 : first === 0x59 ? 2 : first === 0x5a ? 4 : -1
  if (extra < 0 || at + 1 + extra > bytes.byteLength) return undefined
  let length = extra === 0 ? first - 0x40 : 0
  for (let i = 1; i <= extra; i++) length = length * 0x100 + (bytes[at + i] as number)
  // only the shortest head is canonical
  if (bytesHead(length)[0] !== first) return undefined
  return { start: at + 1 + extra, length }
}

function startsWith(bytes: Uint8Array, at: number, expected: Uint8Array): boolean {
  if (at + expected.byteLength > bytes.byteLength) return false
  for (let i = 0; i < expected.byteLength; i++) if (bytes[at + i] !== expected[i]) return false
  return true
}
