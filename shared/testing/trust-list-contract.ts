import { describe, expect, it } from 'vitest'
import type { TrustList, TrustRecord } from '../trust/trust-list.ts'

const record = (did: string, level: number): TrustRecord => ({ did, level, label: `label ${did}`, note: '', updatedAt: 1 })

/** The behaviour every TrustList implementation must have. */
export function runTrustListContract(name: string, create: () => Promise<TrustList>): void {
  describe(`TrustList contract: ${name}`, () => {
    it('keeps one record per DID, replaced on put', async () => {
      const list = await create()
      await list.put(record('did:key:a', 70))
      await list.put({ ...record('did:key:a', 0), label: 'now blocked' })
      await list.put(record('did:key:b', 40))
      expect(await list.get('did:key:a')).toEqual({ ...record('did:key:a', 0), label: 'now blocked' })
      expect((await list.list()).map((r) => r.did).sort()).toEqual(['did:key:a', 'did:key:b'])
    })

    it('forgets a DID on delete and nothing else', async () => {
      const list = await create()
      await list.put(record('did:key:a', 70))
      await list.put(record('did:key:b', 40))
      await list.delete('did:key:a')
      expect(await list.get('did:key:a')).toBeUndefined()
      expect(await list.get('did:key:b')).toEqual(record('did:key:b', 40))
    })
  })
}
