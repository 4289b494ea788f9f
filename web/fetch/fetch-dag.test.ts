import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'
import { importBytes } from '../../shared/cas/files.ts'
import { fetchDag } from './fetch-dag.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'

/** A 1 MiB file in one store, and a session that serves it block by block, counting what it hands out. */
async function source() {
  const held = new VerifiedBlockStore(new MemoryBlockstore())
  const bytes = new Uint8Array(1024 * 1024).map((_, i) => i % 251)
  const { cid } = await importBytes(held, [bytes])
  const served: string[] = []
  const session: BlockSession = {
    get: async (c) => {
      served.push(c.toString())
      return await held.get(c)
    },
    close: async () => undefined,
  }
  return { cid, session, served }
}

describe('fetchDag', () => {
  it('fetches every block of a file within its limit', async () => {
    const { cid, session } = await source()
    const progress = await fetchDag(session, new VerifiedBlockStore(new MemoryBlockstore()), cid, { maxBytes: 1024 * 1024 })
    expect(progress).toMatchObject({ bytes: 1024 * 1024, total: 1024 * 1024, blocks: 5 })
  })

  it('stops at the root when the file it declares is over the limit, and fetches nothing more', async () => {
    const { cid, session, served } = await source()
    await expect(
      fetchDag(session, new VerifiedBlockStore(new MemoryBlockstore()), cid, { maxBytes: 1024 * 1024 - 1 }),
    ).rejects.toMatchObject({
      name: 'FileTooLargeError',
      bytes: 1024 * 1024,
    })
    expect(served).toEqual([cid.toString()])
  })
})
