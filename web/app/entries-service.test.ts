import { describe, expect, it } from 'vitest'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { MemoryLibraryIndex } from '../store/memory-library-index.ts'
import { MemoryEntryIndex } from '../store/memory-entry-index.ts'
import { generateIdentity } from '../../shared/identity/did-key.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import { Library } from './library.ts'
import { rawCidFor } from '../../shared/cas/cid.ts'
import { FORGERIES } from '../../shared/testing/forgeries.ts'
import { EntriesService, filterEntries } from './entries-service.ts'
import { flipSignatureBit, replaceInPayload } from '../../shared/testing/tamper.ts'

const HELLO = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

function setUp() {
  const blockStore = new MemoryBlockStore()
  const index = new MemoryEntryIndex()
  const library = new Library({ blockStore, index: new MemoryLibraryIndex() })
  const me = generateIdentity()
  return { blockStore, index, library, me, entries: new EntriesService({ index, blockStore, library, signer: () => me }) }
}

describe('EntriesService', () => {
  it('signs entries, keeps their JWS as a CAS block, and lists them with valid badges', async () => {
    const { entries, blockStore, me } = setUp()
    const doc = await entries.create({ type: 'document', title: 'Doc', content: HELLO })
    expect(doc.entry.issuer).toBe(me.did)
    expect(new TextDecoder().decode(await blockStore.get(parseContentId(doc.cid)))).toBe(doc.jws)
    const list = await entries.list()
    expect(list.map((e) => [e.entry.title, e.verification.valid])).toEqual([['Doc', true]])
  })

  it("stores a blog post's text in the library and points the entry at it", async () => {
    const { entries, library } = setUp()
    const post = await entries.create({ type: 'blog-post', title: 'Hello post', text: '# Hi\nwritten here' })
    const file = await library.find(post.entry.content)
    expect(file?.name).toBe('Hello post.md')
    expect(await new Response(await library.blob(post.entry.content)).text()).toBe('# Hi\nwritten here')
  })

  it('makes new versions and reports forks', async () => {
    const { entries } = setUp()
    const v1 = await entries.create({ type: 'document', title: 'v1', content: HELLO })
    const v2 = await entries.create({ type: 'document', title: 'v2', content: HELLO, prev: v1.cid, version: '2', changes: 'more' })
    const v2b = await entries.create({ type: 'document', title: 'v2b', content: HELLO, prev: v1.cid })
    const h = await entries.history(v2.cid)
    expect(h.lineage).toEqual([v1.cid, v2.cid])
    expect(h.forks).toEqual([v1.cid])
    expect(h.nodes.get(v1.cid)?.children.sort()).toEqual([v2.cid, v2b.cid].sort())
    await expect(entries.create({ type: 'document', title: 'x', content: HELLO, prev: HELLO })).rejects.toMatchObject({
      name: 'EntryNotFoundError',
    })
  })

  it('shows a tampered stored entry as invalid, with the reason', async () => {
    const { entries, index } = setUp()
    const doc = await entries.create({ type: 'document', title: 'Doc', content: HELLO })
    await index.put({ ...doc, jws: replaceInPayload(doc.jws, '"Doc"', '"Dog"') })
    const [listed] = await entries.list()
    expect(listed?.verification).toEqual({ valid: false, reason: expect.stringContaining('signature does not match') as string })
  })

  it('verifies by JWS or by CID, and refuses forgeries without storing them', async () => {
    const { entries, index } = setUp()
    const doc = await entries.create({ type: 'document', title: 'Doc', content: HELLO })
    expect(await entries.verify(doc.jws)).toMatchObject({ valid: true, cid: doc.cid })
    expect(await entries.verify(doc.cid)).toMatchObject({ valid: true, entry: { title: 'Doc' } })
    expect(await entries.verify(HELLO)).toMatchObject({ valid: false, errorName: 'EntryNotFoundError' })
    const other = setUp()
    const forged = flipSignatureBit(doc.jws)
    expect(await other.entries.verify(forged)).toMatchObject({ valid: false, errorName: 'SignatureInvalidError' })
    await expect(other.entries.importJws(forged)).rejects.toMatchObject({ name: 'SignatureInvalidError' })
    expect(await other.index.list()).toEqual([])
    expect((await other.entries.importJws(doc.jws)).entry.issuer).toBe(doc.entry.issuer)
    expect(await index.list()).toHaveLength(1)
  })

  it('says what it expected and what it was given when the input is no entry and no entry ID', async () => {
    const { entries } = setUp()
    const garbage = await entries.verify('hello world, not a token')
    expect(garbage).toMatchObject({ valid: false, errorName: 'NotAnEntryIdError' })
    expect(garbage.valid === false && garbage.reason).toBe(
      'Expected an entry (a compact JWS: three parts separated by dots, starting "eyJ") or an entry ID (a CID starting "bafkrei"), but what was given is neither: "hello world, not a token".',
    )
    // a dag-cbor CID, and a UnixFS file's CID: CIDs, but of data that is no entry
    const cbor = await entries.verify('bafyreigdmqpykrgxyaxtlafqpqhzrb7qy2rh75nldvfd4tucqmqqme5yje')
    expect(cbor.valid === false && cbor.reason).toBe(
      'Expected an entry ID (a raw-block CID, starting "bafkrei"), but this CID names dag-cbor data.',
    )
    const file = await entries.verify('bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')
    expect(file.valid === false && file.reason).toMatch(
      /this CID names dag-pb data \(a UnixFS file or folder; look it up in the Library instead\)\.$/,
    )
    expect(JSON.stringify([garbage, cbor, file])).not.toContain('Something went wrong')
  })

  it('filters by type, author, text and date', async () => {
    const { entries, me } = setUp()
    await entries.create({ type: 'document', title: 'Alpha report', content: HELLO })
    await entries.create({ type: 'image', title: 'Beta', description: 'a picture of alpha', content: HELLO })
    const all = await entries.list()
    expect(filterEntries(all, { type: 'image' }).map((e) => e.entry.title)).toEqual(['Beta'])
    expect(filterEntries(all, { text: 'ALPHA' })).toHaveLength(2)
    expect(filterEntries(all, { author: me.did.slice(-10) })).toHaveLength(2)
    expect(filterEntries(all, { author: 'z6MkNobody' })).toHaveLength(0)
    expect(filterEntries(all, { from: Date.now() + 60_000 })).toHaveLength(0)
  })
})

describe('EntriesService refuses every forgery and stores nothing of it', () => {
  for (const [label, make, errorName] of FORGERIES) {
    it(label, async () => {
      const { entries, index, blockStore } = setUp()
      const jws = await make()
      await expect(entries.importJws(jws)).rejects.toMatchObject({ name: errorName })
      expect(await index.list()).toEqual([])
      expect(await blockStore.has(await rawCidFor(new TextEncoder().encode(jws)))).toBe(false)
    })
  }
})
