import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { fixedSize } from 'ipfs-unixfs-importer/chunker'
import { balanced } from 'ipfs-unixfs-importer/layout'
import { VerifiedBlockStore } from './blocks.ts'
import { parseEntityBytes } from './byte-range.ts'
import { RAW_CODE } from './cid.ts'
import { walkDag } from './dag-walk.ts'
import { unixfsOf } from './files.ts'
import { pseudoRandomBytes } from '../testing/bytes.ts'

describe('entity-bytes', () => {
  it('reads from:to, * for the end and offsets back from the end', () => {
    expect(parseEntityBytes('0:*', 1000)).toEqual({ from: 0, to: Infinity })
    expect(parseEntityBytes('10:19', 1000)).toEqual({ from: 10, to: 19 })
    expect(parseEntityBytes('-100:*', 1000)).toEqual({ from: 900, to: Infinity })
    expect(parseEntityBytes('0:-1', 1000)).toEqual({ from: 0, to: 999 })
  })

  it.each(['', 'abc', '5:2', '1.5:*', '*:5', '0:', '99999999999999999:*'])('refuses "%s" with InvalidByteRangeError', (text) => {
    expect(() => parseEntityBytes(text, 1000)).toThrow(expect.objectContaining({ name: 'InvalidByteRangeError' }))
  })

  it('walks only the blocks that lead to a range of a file three levels deep, and the range reads from them alone', async () => {
    const CHUNK = 1000
    const bytes = pseudoRandomBytes(40 * CHUNK + 123, 3)
    const held = new VerifiedBlockStore(new MemoryBlockstore())
    // small chunks and nodes of three links: a file of 41 chunks is a tree of several levels
    const root = await (
      await unixfsOf(held)
    ).addBytes(bytes, {
      cidVersion: 1,
      rawLeaves: true,
      chunker: fixedSize({ chunkSize: CHUNK }),
      layout: balanced({ maxChildrenPerNode: 3 }),
    })
    for (const [from, to] of [
      [0, 0],
      [999, 1000],
      [12_345, 23_456],
      [39_999, Infinity],
      [40_100, 50_000],
    ] as const) {
      const part = new VerifiedBlockStore(new MemoryBlockstore())
      let leaves = 0
      for await (const { cid, bytes: block } of walkDag(held, root, 'entity', { range: { from, to } })) {
        await part.put(cid, block)
        if (cid.code === RAW_CODE) leaves += 1
      }
      // exactly the chunks the range touches
      const last = Math.min(to, bytes.byteLength - 1)
      expect(leaves).toBe(Math.floor(last / CHUNK) - Math.floor(from / CHUNK) + 1)
      const read: Uint8Array[] = []
      for await (const chunk of (await unixfsOf(part)).cat(root, { offset: from, length: last - from + 1, offline: true })) read.push(chunk)
      expect(Buffer.concat(read).equals(Buffer.from(bytes.subarray(from, last + 1)))).toBe(true)
    }
  })
})
