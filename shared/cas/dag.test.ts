import { describe, expect, it } from 'vitest'
import * as dagPb from '@ipld/dag-pb'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { VerifiedBlockStore } from './blocks.ts'
import { importBytes } from './files.ts'
import { heldContentBytes } from './dag.ts'

describe('heldContentBytes', () => {
  it('counts the content of the leaves kept, nothing under a node not kept, and a whole file once all is kept', async () => {
    const backend = new MemoryBlockstore()
    const store = new VerifiedBlockStore(backend)
    const size = 4 * 256 * 1024 + 7
    // bytes that differ from leaf to leaf, so no two leaves are one block
    const { cid } = await importBytes(store, [Uint8Array.from({ length: size }, (_, i) => i % 251)])
    expect(await heldContentBytes(store, cid)).toBe(size)

    const links = dagPb.decode(await store.get(cid)).Links.map((l) => l.Hash)
    expect(links).toHaveLength(5)
    // a fetch cut short: the second leaf and the 7-byte last one not yet here
    await backend.delete(links[1] as (typeof links)[number])
    await backend.delete(links[4] as (typeof links)[number])
    expect(await heldContentBytes(store, cid)).toBe(3 * 256 * 1024)

    await backend.delete(cid)
    expect(await heldContentBytes(store, cid)).toBe(0)
  })

  it('a single raw block counts its own length', async () => {
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const { cid } = await importBytes(store, [new TextEncoder().encode('hello world')])
    expect(await heldContentBytes(store, cid)).toBe(11)
  })
})
