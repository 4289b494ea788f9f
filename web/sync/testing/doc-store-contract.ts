import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { DocStore } from '../doc-store.ts'

/** The behaviour every DocStore implementation must have. */
export function runDocStoreContract(name: string, create: () => Promise<DocStore>): void {
  describe(`DocStore contract: ${name}`, () => {
    it('gives a new document everything the last one held, per space', async () => {
      const store = await create()
      const first = new Y.Doc()
      const detach = await store.attach('s1', first)
      first.getText('note').insert(0, 'kept')
      first.getMap('files').set('x', 1)
      await detach()
      const other = new Y.Doc()
      await (
        await store.attach('s2', other)
      )()
      expect(other.getText('note').toJSON()).toBe('')
      const second = new Y.Doc()
      const detachSecond = await store.attach('s1', second)
      expect(second.getText('note').toJSON()).toBe('kept')
      expect(second.getMap('files').get('x')).toBe(1)
      await detachSecond()
      await store.delete('s1')
      const third = new Y.Doc()
      await (
        await store.attach('s1', third)
      )()
      expect(third.getText('note').toJSON()).toBe('')
    })
  })
}
