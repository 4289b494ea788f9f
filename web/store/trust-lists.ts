import type { TrustList, TrustRecord } from '../../shared/trust/trust-list.ts'
import type { AppDb } from './app-db.ts'

export class IdbTrustList implements TrustList {
  readonly #db: AppDb

  constructor(db: AppDb) {
    this.#db = db
  }

  async put(record: TrustRecord): Promise<void> {
    await this.#db.put('trust', record)
  }

  async get(did: string): Promise<TrustRecord | undefined> {
    return await this.#db.get('trust', did)
  }

  async list(): Promise<TrustRecord[]> {
    return await this.#db.getAll('trust')
  }

  async delete(did: string): Promise<void> {
    await this.#db.delete('trust', did)
  }
}

export class MemoryTrustList implements TrustList {
  readonly #records = new Map<string, TrustRecord>()

  async put(record: TrustRecord): Promise<void> {
    this.#records.set(record.did, { ...record })
  }

  async get(did: string): Promise<TrustRecord | undefined> {
    const r = this.#records.get(did)
    return r === undefined ? undefined : { ...r }
  }

  async list(): Promise<TrustRecord[]> {
    return [...this.#records.values()].map((r) => ({ ...r }))
  }

  async delete(did: string): Promise<void> {
    this.#records.delete(did)
  }
}
