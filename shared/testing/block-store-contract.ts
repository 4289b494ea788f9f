import { describe, expect, it } from 'vitest'
import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../cas/blocks.ts'
import { rawCidFor } from '../cas/cid.ts'

export interface BlockStoreHarness {
  store: BlockStore
  /** Writes bytes under a CID behind the store's back, as a failing disk would. */
  corrupt: (cid: CID, bytes: Uint8Array) => Promise<void>
}

/** The behaviour every BlockStore implementation must have. */
export function runBlockStoreContract(name: string, create: () => Promise<BlockStoreHarness>): void {
  describe(`BlockStore contract: ${name}`, () => {
    const bytes = new TextEncoder().encode('contract block')

    it('stores and returns a block under its CID', async () => {
      const { store } = await create()
      const cid = await rawCidFor(bytes)
      expect(await store.has(cid)).toBe(false)
      await store.put(cid, bytes)
      expect(await store.has(cid)).toBe(true)
      expect(new TextDecoder().decode(await store.get(cid))).toBe('contract block')
    })

    it('keeps a block as its own bytes, not the larger buffer it was a view into', async () => {
      const { store } = await create()
      const arrived = new Uint8Array(4 * 1024 * 1024)
      arrived.set(bytes, 1024)
      const view = arrived.subarray(1024, 1024 + bytes.byteLength)
      const cid = await rawCidFor(view)
      await store.put(cid, view)
      arrived.fill(0) // the buffer it came in is reused: the stored block must not change with it
      const stored = await store.get(cid)
      expect(new TextDecoder().decode(stored)).toBe('contract block')
      expect(stored.buffer.byteLength).toBe(bytes.byteLength)
    })

    it('refuses a block whose bytes do not match, and stores nothing', async () => {
      expect.assertions(2)
      const { store } = await create()
      const cid = await rawCidFor(bytes)
      const flipped = bytes.slice()
      flipped[3] = (flipped[3] ?? 0) ^ 0x01
      await expect(store.put(cid, flipped)).rejects.toMatchObject({ name: 'CidMismatchError' })
      expect(await store.has(cid)).toBe(false)
    })

    it('says a missing block is not found', async () => {
      const { store } = await create()
      const cid = await rawCidFor(new TextEncoder().encode('never stored'))
      await expect(store.get(cid)).rejects.toMatchObject({ name: 'BlockNotFoundError' })
    })

    it('checks blocks read back from storage', async () => {
      const { store, corrupt } = await create()
      const cid = await rawCidFor(bytes)
      await corrupt(cid, new TextEncoder().encode('rotten bytes'))
      await expect(store.get(cid)).rejects.toMatchObject({ name: 'CidMismatchError' })
    })

    it('deletes a block and leaves the others', async () => {
      const { store } = await create()
      const a = await rawCidFor(bytes)
      const otherBytes = new TextEncoder().encode('other')
      const b = await rawCidFor(otherBytes)
      await store.put(a, bytes)
      await store.put(b, otherBytes)
      await store.delete(a)
      expect(await store.has(a)).toBe(false)
      expect(await store.has(b)).toBe(true)
    })

    it('keeps a second put of the same block idempotent', async () => {
      const { store } = await create()
      const cid = await rawCidFor(bytes)
      await store.put(cid, bytes)
      await store.put(cid, bytes)
      expect((await store.get(cid)).byteLength).toBe(bytes.byteLength)
    })
  })
}
