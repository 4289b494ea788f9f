import { describe, expect, it } from 'vitest'
import type { DocStore } from '../doc-store.ts'

/** The behaviour every DocStore implementation must have. */
export function runDocStoreContract(name: string, create: () => Promise<DocStore>): void {
  describe(`DocStore contract: ${name}`, () => {
    it('gives a space opened again everything it held when closed, per space', async () => {
      const store = await create()
      const first = await store.open('s1')
      first.doc.getText('note').insert(0, 'kept')
      first.doc.getMap('files').set('x', 1)
      await first.close()
      const other = await store.open('s2')
      expect(other.doc.getText('note').toJSON()).toBe('')
      await other.close()
      const second = await store.open('s1')
      expect(second.doc).not.toBe(first.doc)
      expect(second.doc.getText('note').toJSON()).toBe('kept')
      expect(second.doc.getMap('files').get('x')).toBe(1)
      await second.close()
      await store.delete('s1')
      const third = await store.open('s1')
      expect(third.doc.getText('note').toJSON()).toBe('')
      await third.close()
    })

    it('gives the same document to opens before it is closed, so an early open is a head start', async () => {
      const store = await create()
      const early = store.open('s1')
      const [a, b] = await Promise.all([early, store.open('s1')])
      expect(b.doc).toBe(a.doc)
      a.doc.getText('note').insert(0, 'once')
      expect((await store.open('s1')).doc.getText('note').toJSON()).toBe('once')
      await a.close()
      const reopened = await store.open('s1')
      expect(reopened.doc).not.toBe(a.doc)
      expect(reopened.doc.getText('note').toJSON()).toBe('once')
      await reopened.close()
    })
  })
}
