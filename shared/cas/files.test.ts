import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { VerifiedBlockStore } from './blocks.ts'
import { importBytes, readFile } from './files.ts'
import { sha256HexOf, parseContentId } from './cid.ts'

function patterned(length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = i % 251
  return bytes
}

async function concat(source: AsyncIterable<Uint8Array>): Promise<Buffer> {
  const parts: Uint8Array[] = []
  for await (const p of source) parts.push(p)
  return Buffer.concat(parts)
}

// Buffer.equals instead of toEqual: deep equality of MiB-sized arrays is very slow
function sameBytes(a: Buffer, b: Uint8Array): boolean {
  return a.equals(b)
}

describe('importBytes gives the CIDs of `ipfs add --cid-version=1`', () => {
  const vectors: Array<[string, Uint8Array, string]> = [
    ['empty file', new Uint8Array(0), 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'],
    ['hello world', new TextEncoder().encode('hello world'), 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'],
    ['1 MiB + 7 bytes, i mod 251', patterned(1024 * 1024 + 7), 'bafybeifofps7oqlveyur54t4opj4y6jhjlyc5du6zqjlf6lhakt2w2c25u'],
  ]
  for (const [label, bytes, expected] of vectors) {
    it(label, async () => {
      const store = new VerifiedBlockStore(new MemoryBlockstore())
      // feed in uneven pieces, as a browser's File stream does
      const pieces = [bytes.subarray(0, 1000), bytes.subarray(1000, 300_001), bytes.subarray(300_001)]
      const { cid, size } = await importBytes(store, pieces)
      expect(cid.toString()).toBe(expected)
      expect(size).toBe(bytes.byteLength)
      expect(sameBytes(await concat(readFile(store, cid)), bytes)).toBe(true)
    })
  }

  it('a multi-level DAG (more than 174 chunks) round-trips', async () => {
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const bytes = patterned(175 * 256 * 1024 + 3)
    const { cid } = await importBytes(store, [bytes])
    expect(cid.toString().startsWith('bafybei')).toBe(true)
    expect(sameBytes(await concat(readFile(store, cid)), bytes)).toBe(true)
  })

  it('single-block files keep the SHA-256 hex form, and either form finds them', async () => {
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const { cid } = await importBytes(store, [new TextEncoder().encode('hello world')])
    const hex = sha256HexOf(cid)
    expect(hex).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
    expect(parseContentId(hex ?? '').equals(cid)).toBe(true)
    expect(parseContentId(cid.toString()).equals(cid)).toBe(true)
  })
})
