import { describe, expect, it } from 'vitest'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { MemoryLibraryIndex } from '../store/memory-library-index.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import { dagBlockIds } from '../../shared/cas/files.ts'
import { Library, type FileInput } from './library.ts'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { StorageFullError } from '../../shared/cas/errors.ts'
import { describeError } from './describe-error.ts'
import { unixfs } from '@helia/unixfs'
import { asUnixfsBlockstore } from '../../shared/cas/blocks.ts'
import { DIRECTORY_TYPE } from '../../shared/cas/directory.ts'

function input(name: string, type: string, bytes: Uint8Array): FileInput {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>], { type })
  return { name, type, size: blob.size, stream: () => blob.stream() }
}

function make() {
  const blockStore = new MemoryBlockStore()
  return { blockStore, library: new Library({ blockStore, index: new MemoryLibraryIndex() }) }
}

describe('Library', () => {
  it('adds a file and finds it by CID or by SHA-256 hex', async () => {
    const { library } = make()
    const added = await library.add(input('hello.txt', 'text/plain', new TextEncoder().encode('hello world')))
    expect(added).toMatchObject({ cid: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e', name: 'hello.txt', size: 11 })
    expect(added.sha256Hex).toBe('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
    expect((await library.find(added.sha256Hex ?? ''))?.name).toBe('hello.txt')
    expect(await new Response(await library.blob(added.cid)).text()).toBe('hello world')
  })

  it('deleting a file keeps blocks another file still uses', async () => {
    const { library, blockStore } = make()
    const chunk = new Uint8Array(256 * 1024).fill(1)
    const tail = (b: number) => new Uint8Array(1000).fill(b)
    const both = (b: number) => {
      const out = new Uint8Array(chunk.length + 1000)
      out.set(chunk)
      out.set(tail(b), chunk.length)
      return out
    }
    const a = await library.add(input('a.bin', '', both(2)))
    const b = await library.add(input('b.bin', '', both(3)))
    const aBlocks = await dagBlockIds(blockStore, parseContentId(a.cid))
    const bBlocks = await dagBlockIds(blockStore, parseContentId(b.cid))
    const sharedIds = [...aBlocks].filter((id) => bBlocks.has(id))
    expect(sharedIds).toHaveLength(1)

    await library.remove(a.cid)
    expect(await library.list()).toHaveLength(1)
    expect(await blockStore.has(parseContentId(a.cid))).toBe(false)
    expect(await blockStore.has(parseContentId(sharedIds[0] ?? ''))).toBe(true)
    expect((await library.blob(b.cid)).size).toBe(chunk.length + 1000)
  })

  it('previews text, JSON, images and binary', async () => {
    const { library } = make()
    const json = await library.add(input('d.json', 'application/json', new TextEncoder().encode('{"a":1}')))
    expect(await library.preview(json.cid)).toEqual({ kind: 'text', text: '{\n  "a": 1\n}', truncated: false })
    const bin = await library.add(input('x.bin', 'application/octet-stream', new Uint8Array([0, 1, 0x41, 255])))
    const hex = await library.preview(bin.cid)
    expect(hex).toEqual({ kind: 'hex', lines: ['00000000  00 01 41 ff                                      ..A.'], truncated: false })
    const img = await library.add(input('p.png', 'image/png', new Uint8Array([0x89, 0x50, 0x4e, 0x47])))
    const preview = await library.preview(img.cid)
    expect(preview.kind === 'image' && preview.blob.size).toBe(4)
  })

  it('says clearly when a file is not in the library', async () => {
    const { library } = make()
    await expect(library.preview('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')).rejects.toMatchObject({
      name: 'FileNotInLibraryError',
    })
    await expect(library.find('not a cid')).rejects.toMatchObject({ name: 'InvalidCidError' })
  })
})

describe('Library: storage running out', () => {
  const big = new Uint8Array(3 * 256 * 1024 + 10).map((_, i) => i % 251)

  it('refuses a file the browser says it has no room for, before writing anything', async () => {
    const blockStore = new MemoryBlockStore()
    const storage = { available: async () => await Promise.resolve(1024 * 1024), persist: async () => await Promise.resolve(true) }
    const library = new Library({ blockStore, index: new MemoryLibraryIndex(), storage })
    const refused = library.add(input('big.bin', '', big))
    await expect(refused).rejects.toBeInstanceOf(StorageFullError)
    await expect(refused).rejects.toMatchObject({ available: 1024 * 1024 })
    expect(await library.list()).toEqual([])
    expect(describeError(await refused.catch((e: unknown) => e))).toMatch(
      /^Not enough storage in this browser for that\. This needs about 2 MiB; the browser allows this site 1 MiB more\./,
    )
    expect(await library.keep()).toBe(true)
  })

  it('when the store fills up mid-way, takes back every block the import wrote and keeps blocks other files use', async () => {
    const backend = new MemoryBlockstore()
    const blockStore = new MemoryBlockStore(backend)
    const library = new Library({ blockStore, index: new MemoryLibraryIndex() })
    const earlier = await library.add(input('first-chunk.bin', '', big.slice(0, 256 * 1024)))
    const before = await countBlocks(backend)
    // blockstore-idb reports a full IndexedDB as a PutFailedError carrying the DOMException's text
    let puts = 0
    const put = backend.put.bind(backend)
    backend.put = async (cid, bytes, options) => {
      if (++puts > 2) throw Object.assign(new Error('QuotaExceededError: The quota has been exceeded.'), { name: 'PutFailedError' })
      return await put(cid, bytes, options)
    }
    const failed = library.add(input('big.bin', '', big)).catch((e: unknown) => e)
    expect(await failed).toBeInstanceOf(StorageFullError)
    expect(describeError(await failed)).toContain('Nothing of it was kept')
    expect(await countBlocks(backend)).toBe(before)
    expect(await library.blob(earlier.cid).then(async (b) => b.size)).toBe(256 * 1024)
    expect((await library.list()).map((f) => f.name)).toEqual(['first-chunk.bin'])
  })

  it('describes a bare QuotaExceededError DOMException, whatever realm it comes from', () => {
    expect(describeError(new DOMException('The quota has been exceeded.', 'QuotaExceededError'))).toMatch(/storage for this site is full/)
    expect(describeError({ name: 'QuotaExceededError', message: '' })).toMatch(/storage for this site is full/)
  })
})

async function countBlocks(backend: MemoryBlockstore): Promise<number> {
  let n = 0
  for await (const pair of backend.getAll()) n += pair.cid === undefined ? 0 : 1
  return n
}

describe('Library: directories (as `ipfs add -r` makes them)', () => {
  it('opens as a listing, and a file inside can be kept in the library and opened', async () => {
    const blockStore = new MemoryBlockStore()
    const library = new Library({ blockStore, index: new MemoryLibraryIndex() })
    const fs = unixfs({ blockstore: asUnixfsBlockstore(blockStore) })
    let root: string | undefined
    for await (const entry of fs.addAll(
      [
        { path: 'notes/readme.txt', content: new TextEncoder().encode('read me first') },
        { path: 'notes/data.json', content: new TextEncoder().encode('{"a":1}') },
        { path: 'notes/sub/deep.txt', content: new TextEncoder().encode('deep') },
      ],
      { cidVersion: 1, rawLeaves: true },
    ))
      if (entry.path === 'notes') root = entry.cid.toString()
    await library.addReceived({ cid: root as string, name: 'notes', type: DIRECTORY_TYPE, size: 24, addedAt: 1 })
    const listing = await library.preview(root as string)
    expect(listing.kind).toBe('directory')
    const entries = listing.kind === 'directory' ? listing.entries : []
    expect(entries.map((e) => `${e.type} ${e.name} ${e.size}`)).toEqual(['directory sub 0', 'file data.json 7', 'file readme.txt 13'])
    await library.addFromDirectory(entries.find((e) => e.name === 'readme.txt') as (typeof entries)[0])
    const kept = (await library.list()).find((f) => f.name === 'readme.txt')
    expect(kept).toMatchObject({ type: 'text/plain', size: 13 })
    expect(await library.preview(kept?.cid as string)).toEqual({ kind: 'text', text: 'read me first', truncated: false })
    // a CID whose blocks are not here is not kept on a directory's word
    await expect(
      library.addFromDirectory({ cid: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e', name: 'x', size: 1 }),
    ).rejects.toMatchObject({
      name: 'FileNotInLibraryError',
    })
  })
})
