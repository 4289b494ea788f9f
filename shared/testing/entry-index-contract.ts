import { describe, expect, it } from 'vitest'
import { fromString } from 'uint8arrays'
import type { EntryIndex } from '../entries/entry-index.ts'
import { createEntry } from '../entries/entry.ts'
import { identityFromSeed } from '../identity/did-key.ts'

const author = identityFromSeed(fromString('77'.repeat(32), 'base16'))
const CONTENT = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

/** The behaviour every EntryIndex implementation must have. */
export function runEntryIndexContract(name: string, create: () => Promise<EntryIndex>): void {
  describe(`EntryIndex contract: ${name}`, () => {
    it('returns what was put, exactly, newest signature first', async () => {
      const index = await create()
      const a = await createEntry(author, { type: 'document', content: CONTENT, title: 'a' })
      const b = { ...(await createEntry(author, { type: 'image', content: CONTENT, title: 'b' })) }
      b.entry = { ...b.entry, signedAt: a.entry.signedAt + 10 }
      await index.put(a)
      await index.put(b)
      expect((await index.list()).map((e) => e.entry.title)).toEqual(['b', 'a'])
      expect(await index.get(a.cid)).toEqual(a)
      expect(await index.get('bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku')).toBeUndefined()
    })

    it('keeps one record per CID', async () => {
      const index = await create()
      const a = await createEntry(author, { type: 'document', content: CONTENT, title: 'a', meta: { version: '1' } })
      await index.put(a)
      await index.put(a)
      expect(await index.list()).toHaveLength(1)
      expect((await index.get(a.cid))?.entry.meta).toEqual({ version: '1' })
    })
  })
}
