import { describe, expect, it } from 'vitest'
import { parseContentId } from '../cas/cid.ts'
import { alice, draft, EMPTY, FORGERIES, HELLO } from '../testing/forgeries.ts'
import { createEntry, verifyEntry, type EntryDraft } from './entry.ts'

describe('DISOT entries: a valid control set is accepted', () => {
  const controls: Array<[string, EntryDraft]> = [
    ['a minimal document', { type: 'document', content: HELLO, title: 'Doc' }],
    ['a metadata entry with everything', draft],
    ['an image', { type: 'image', content: EMPTY, title: 'Pixel', description: '' }],
    ['a blog post', { type: 'blog-post', content: HELLO, title: 'Post' }],
    ['a signature entry with a prev', { type: 'signature', content: HELLO, title: 'Signed', prev: EMPTY }],
    [
      'a hex content address',
      { type: 'document', content: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', title: 'Hex' },
    ],
  ]
  for (const [label, d] of controls) {
    it(label, async () => {
      const signed = await createEntry(alice, d)
      const again = await verifyEntry(signed.jws, { expectedCid: signed.cid })
      expect(again.entry.issuer).toBe(alice.did)
      expect(again.entry.content).toBe(parseContentId(d.content).toString())
      expect(again.cid).toMatch(/^bafkrei/)
      expect(again.entry.signedAt).toBeGreaterThan(1_700_000_000)
    })
  }
})

describe('DISOT entries: the forgery matrix', () => {
  for (const [label, make, errorName] of FORGERIES) {
    it(`refuses ${label} (${errorName})`, async () => {
      expect.assertions(1)
      await expect(verifyEntry(await make())).rejects.toMatchObject({ name: errorName })
    })
  }

  it('refuses an entry whose bytes do not match the CID it was fetched under', async () => {
    const a = await createEntry(alice, draft)
    const b = await createEntry(alice, { ...draft, title: 'B' })
    await expect(verifyEntry(a.jws, { expectedCid: b.cid })).rejects.toMatchObject({ name: 'EntryCidMismatchError' })
  })

  it('refuses to sign a malformed draft', async () => {
    await expect(createEntry(alice, { ...draft, title: '  ' })).rejects.toMatchObject({ name: 'MalformedEntryError' })
    await expect(createEntry(alice, { ...draft, content: 'nope' })).rejects.toMatchObject({ name: 'InvalidContentCidError' })
    await expect(createEntry(alice, { ...draft, meta: { authors: [{ did: 'did:key:zBAD', role: 'creator' }] } })).rejects.toMatchObject({
      name: 'MalformedEntryError',
    })
  })
})
