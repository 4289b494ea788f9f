import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import { DAG_PB_CODE } from './cid.ts'

/** Bytes `from` to `to` of a file, both included (`to` is Infinity for "to the end"): the trustless gateway's `entity-bytes`. */
export interface ByteRange {
  from: number
  to: number
}

/** `entity-bytes` was not `from:to` with integers (or `*` for the end) that name bytes of the file. */
export class InvalidByteRangeError extends Error {
  static override name = 'InvalidByteRangeError'
  constructor(text: string, why: string) {
    super(`entity-bytes "${text.slice(0, 60)}" ${why}`)
    this.name = 'InvalidByteRangeError'
  }
}

/** Parses `entity-bytes=from:to` for a file of `size` bytes; a negative offset counts back from the end, as the specification says. */
export function parseEntityBytes(text: string, size: number): ByteRange {
  const match = /^(-?\d{1,16}):(-?\d{1,16}|\*)$/.exec(text)
  if (match === null) throw new InvalidByteRangeError(text, 'is not from:to (integers, or * for the end)')
  const offset = (n: number): number => (n < 0 ? Math.max(0, size + n) : n)
  const from = offset(Number(match[1]))
  const to = match[2] === '*' ? Infinity : offset(Number(match[2]))
  if (to < from) throw new InvalidByteRangeError(text, 'ends before it starts')
  return { from, to }
}

/** The `entity-bytes` value asking for a range. */
export function entityBytesOf(range: ByteRange): string {
  return `${range.from}:${range.to === Infinity ? '*' : range.to}`
}

/**
 * The links of a block whose content overlaps the range, each with the file
 * offset it starts at, given where this block starts. A UnixFS file node's
 * own data comes before its children's, whose sizes it lists; a node that is
 * no file, or whose sizes do not match its links, gives every link.
 */
export function linksInRange(cid: CID, bytes: Uint8Array, start: number, range: ByteRange): Array<{ cid: CID; start: number }> {
  if (cid.code !== DAG_PB_CODE) return []
  const node = dagPb.decode(bytes)
  const every = node.Links.map((link) => ({ cid: link.Hash, start }))
  if (node.Data === undefined) return every
  const unixfs = UnixFS.unmarshal(node.Data)
  if ((unixfs.type !== 'file' && unixfs.type !== 'raw') || unixfs.blockSizes.length !== node.Links.length) return every
  let at = start + (unixfs.data?.byteLength ?? 0)
  const inRange: Array<{ cid: CID; start: number }> = []
  node.Links.forEach((link, i) => {
    const size = Number(unixfs.blockSizes[i])
    if (at <= range.to && at + size > range.from) inRange.push({ cid: link.Hash, start: at })
    at += size
  })
  return inRange
}
