import { describe, expect, it } from 'vitest'
import type { LibraryIndex, LibraryRecord } from '../cas/library.ts'

/** The behaviour every LibraryIndex implementation must have. */
export function runLibraryIndexContract(name: string, create: () => Promise<LibraryIndex>): void {
  const record = (cid: string, addedAt: number): LibraryRecord => ({
    cid,
    name: `${cid}.txt`,
    type: 'text/plain',
    size: 11,
    addedAt,
  })

  describe(`LibraryIndex contract: ${name}`, () => {
    it('returns what was put, newest first', async () => {
      const index = await create()
      await index.put(record('a', 1))
      await index.put(record('b', 3))
      await index.put(record('c', 2))
      expect((await index.list()).map((r) => r.cid)).toEqual(['b', 'c', 'a'])
      expect(await index.get('c')).toEqual(record('c', 2))
    })

    it('replaces a record with the same CID', async () => {
      const index = await create()
      await index.put(record('a', 1))
      await index.put({ ...record('a', 1), name: 'renamed.txt' })
      const list = await index.list()
      expect(list).toHaveLength(1)
      expect(list[0]?.name).toBe('renamed.txt')
    })

    it('deletes one record and keeps the rest', async () => {
      const index = await create()
      await index.put(record('a', 1))
      await index.put(record('b', 2))
      await index.delete('a')
      expect(await index.get('a')).toBeUndefined()
      expect((await index.list()).map((r) => r.cid)).toEqual(['b'])
    })

    it('does not let a caller change stored records through returned objects', async () => {
      const index = await create()
      await index.put(record('a', 1))
      const got = await index.get('a')
      if (got !== undefined) got.name = 'mutated'
      expect((await index.get('a'))?.name).toBe('a.txt')
    })
  })
}
