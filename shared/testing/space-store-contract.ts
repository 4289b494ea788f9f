import { describe, expect, it } from 'vitest'
import type { SpaceRecord, SpaceStore } from '../spaces/space-record.ts'

const record = (id: string, name: string): SpaceRecord => ({
  id,
  name,
  owner: 'did:key:owner',
  role: 'owner',
  privacy: { class: 'private', minLevel: 70 },
  createdAt: 1,
  usedInvitations: { abc: 'did:key:b' },
  sync: { 'did:key:b': { vector: { '12': 4 }, at: 2 } },
})

/** The behaviour every SpaceStore implementation must have. */
export function runSpaceStoreContract(name: string, create: () => Promise<SpaceStore>): void {
  describe(`SpaceStore contract: ${name}`, () => {
    it('keeps one record per space, replaced on put, and forgets on delete', async () => {
      const store = await create()
      await store.put(record('a', 'first'))
      await store.put(record('a', 'renamed'))
      await store.put(record('b', 'other'))
      expect(await store.get('a')).toEqual(record('a', 'renamed'))
      expect((await store.list()).map((r) => r.id).sort()).toEqual(['a', 'b'])
      await store.delete('a')
      expect(await store.get('a')).toBeUndefined()
      expect(await store.get('b')).toEqual(record('b', 'other'))
    })

    it('hands out copies: changing one does not change what is kept', async () => {
      const store = await create()
      await store.put(record('a', 'first'))
      const got = (await store.get('a')) as SpaceRecord
      got.usedInvitations.x = 'did:key:x'
      expect((await store.get('a'))?.usedInvitations).toEqual({ abc: 'did:key:b' })
    })
  })
}
