import { describe, expect, it } from 'vitest'
import { blobOf } from './blobs.ts'
import { pseudoRandomBytes } from './testing/bytes.ts'

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let at = 0; at < bytes.byteLength; at += size) yield bytes.subarray(at, at + size)
}

describe('blobOf', () => {
  it('holds the bytes of the stream in order, across part boundaries, with the type given', async () => {
    const bytes = pseudoRandomBytes(100_003, 3)
    const blob = await blobOf(pieces(bytes, 7_001), 'application/x-test', 16_384)
    expect(blob.type).toBe('application/x-test')
    expect(new Uint8Array(await blob.arrayBuffer())).toEqual(bytes)
  })

  it('hands each full part to blob storage as it fills, not at the end', async () => {
    const first = pseudoRandomBytes(1000, 0)
    async function* reused(): AsyncGenerator<Uint8Array> {
      yield first
      for (let i = 1; i < 4; i++) yield pseudoRandomBytes(1000, i)
      // the part of 4000 bytes is full and gone: the buffer it came from is free to reuse
      first.fill(0)
      for (let i = 4; i < 8; i++) yield pseudoRandomBytes(1000, i)
    }
    const blob = await blobOf(reused(), '', 4000)
    expect(blob.size).toBe(8000)
    expect(new Uint8Array(await blob.slice(0, 1000).arrayBuffer())).toEqual(pseudoRandomBytes(1000, 0))
  })

  it('makes an empty Blob of an empty stream', async () => {
    expect((await blobOf(pieces(new Uint8Array(0), 10))).size).toBe(0)
  })
})
