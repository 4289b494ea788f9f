import type { CredentialStore } from '../../shared/trust/credential-store.ts'
import type { RevocationList, TrustCredential } from '../../shared/trust/credentials.ts'
import type { AppDb } from './app-db.ts'

export class IdbCredentialStore implements CredentialStore {
  readonly #db: AppDb

  constructor(db: AppDb) {
    this.#db = db
  }

  async putCredential(credential: TrustCredential): Promise<void> {
    await this.#db.put('credentials', credential)
  }

  async listCredentials(): Promise<TrustCredential[]> {
    return await this.#db.getAll('credentials')
  }

  async putRevocations(list: RevocationList): Promise<void> {
    const tx = this.#db.transaction('revocations', 'readwrite')
    const held = await tx.store.get(list.issuer)
    if (held === undefined || held.issuedAt < list.issuedAt) await tx.store.put(list)
    await tx.done
  }

  async listRevocations(): Promise<RevocationList[]> {
    return await this.#db.getAll('revocations')
  }
}

export class MemoryCredentialStore implements CredentialStore {
  readonly #credentials = new Map<string, TrustCredential>()
  readonly #revocations = new Map<string, RevocationList>()

  async putCredential(credential: TrustCredential): Promise<void> {
    this.#credentials.set(credential.id, { ...credential })
  }

  async listCredentials(): Promise<TrustCredential[]> {
    return [...this.#credentials.values()].map((c) => ({ ...c }))
  }

  async putRevocations(list: RevocationList): Promise<void> {
    const held = this.#revocations.get(list.issuer)
    if (held === undefined || held.issuedAt < list.issuedAt) this.#revocations.set(list.issuer, { ...list, revoked: [...list.revoked] })
  }

  async listRevocations(): Promise<RevocationList[]> {
    return [...this.#revocations.values()].map((l) => ({ ...l, revoked: [...l.revoked] }))
  }
}
