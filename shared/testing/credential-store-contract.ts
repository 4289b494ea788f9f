import { describe, expect, it } from 'vitest'
import type { CredentialStore } from '../trust/credential-store.ts'
import type { TrustCredential } from '../trust/credentials.ts'

const credential = (id: string): TrustCredential => ({
  id,
  jwt: 'x.y.z',
  issuer: 'did:key:a',
  subject: 'did:key:b',
  level: 70,
  context: '',
  issuedAt: 1,
  expiresAt: 2,
})

/** The behaviour every CredentialStore implementation must have. */
export function runCredentialStoreContract(name: string, create: () => Promise<CredentialStore>): void {
  describe(`CredentialStore contract: ${name}`, () => {
    it('keeps credentials by ID', async () => {
      const store = await create()
      await store.putCredential(credential('c1'))
      await store.putCredential(credential('c1'))
      await store.putCredential(credential('c2'))
      expect((await store.listCredentials()).map((c) => c.id).sort()).toEqual(['c1', 'c2'])
    })

    it('keeps only the newest revocation list of each issuer', async () => {
      const store = await create()
      await store.putRevocations({ issuer: 'did:key:a', issuedAt: 10, revoked: ['c1'], jws: 'new' })
      await store.putRevocations({ issuer: 'did:key:a', issuedAt: 5, revoked: [], jws: 'old' })
      await store.putRevocations({ issuer: 'did:key:b', issuedAt: 1, revoked: ['c9'], jws: 'b' })
      const lists = await store.listRevocations()
      expect(lists.find((l) => l.issuer === 'did:key:a')?.jws).toBe('new')
      expect(lists).toHaveLength(2)
    })
  })
}
