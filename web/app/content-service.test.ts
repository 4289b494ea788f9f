import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'
import { importBytes } from '../../shared/cas/files.ts'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { MemoryLibraryIndex } from '../store/memory-library-index.ts'
import type { BlockExchange } from '../net/block-exchange/index.ts'
import type { ContentSource } from '../fetch/retrieval.ts'
import { SourceRecords } from '../fetch/source-records.ts'
import { ContentService } from './content-service.ts'
import { Library } from './library.ts'

/** Gateways and peers as memory twins that serve one held file and log who was asked for what. */
async function setUp(size = 400_000, blockMs = 0) {
  const held = new VerifiedBlockStore(new MemoryBlockstore())
  const { cid } = await importBytes(held, [new Uint8Array(size).map((_, i) => i % 199)])
  const asked: string[] = []
  const twin = (id: string, kind: ContentSource['kind'], works: boolean): ContentSource => ({
    id,
    label: id,
    kind,
    open: async (root: CID) => {
      asked.push(`${id} ${root.toString()}`)
      if (!works) throw new Error(`${id} is down`)
      // a link's pace: one block after another, blockMs each
      let line: Promise<unknown> = Promise.resolve()
      return {
        get: async (c: CID) => {
          const turn = line.then(async () => await new Promise((resolve) => setTimeout(resolve, blockMs)))
          line = turn
          await turn
          return await held.get(c)
        },
        close: async () => undefined,
      }
    },
  })
  const blockStore = new MemoryBlockStore()
  const library = new Library({ blockStore, index: new MemoryLibraryIndex() })
  const content = (holderWorks: boolean) =>
    new ContentService({
      blockStore,
      library,
      blocks: {} as BlockExchange,
      records: new SourceRecords(),
      gateways: () => ['http://127.0.0.1:8787', 'https://gateway.example'],
      relay: 'http://127.0.0.1:8787',
      gatewaySource: (url, kind) => twin(`${kind}:${url}`, kind, true),
      peerSource: (init) => twin(`peer:${init.id}`, 'peer', holderWorks),
    })
  const file = { cid: cid.toString(), name: 'f.bin', type: '', size }
  const holder = { id: 'ann', label: 'Ann', connect: async () => await Promise.reject(new Error('unused by the twin')) }
  return { content, file, holder, asked, library }
}

describe('the content service', () => {
  it('asks only the holder for private content, even when the holder is gone: its CID never reaches a gateway', async () => {
    const { content, file, holder, asked, library } = await setUp()
    await expect(content(false).get(file, { holders: [holder], public: false })).rejects.toMatchObject({ name: 'NoSourceError' })
    expect(asked).toEqual([`peer:ann ${file.cid}`])
    expect(await library.find(file.cid)).toBeUndefined()
  })

  it('asks the relay, then the other gateways, in order, for public content whose holder is gone, and keeps it in the library', async () => {
    const { content, file, holder, asked, library } = await setUp()
    const result = await content(false).get(file, { holders: [holder], public: true })
    expect(result.source.id).toBe('relay:http://127.0.0.1:8787')
    expect(asked).toEqual([`peer:ann ${file.cid}`, `relay:http://127.0.0.1:8787 ${file.cid}`])
    expect(await library.find(file.cid)).toMatchObject({ name: 'f.bin', size: 400_000 })
  })

  it('fetches a large private file from every member holding it together, and still asks no gateway', async () => {
    const { content, file, holder, asked, library } = await setUp(3 * 1024 * 1024, 5)
    const bo = { ...holder, id: 'bo', label: 'Bo' }
    const result = await content(true).get(file, { holders: [holder, bo], public: false })
    expect(asked.every((a) => a.startsWith('peer:'))).toBe(true)
    expect(result.shares.map((s) => s.source.id).sort()).toEqual(['peer:ann', 'peer:bo'])
    expect(await library.find(file.cid)).toMatchObject({ size: 3 * 1024 * 1024 })
  })
})
