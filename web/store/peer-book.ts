import type { PeerRecord } from '../../shared/auth/peer-record.ts'
import type { AppDb } from './app-db.ts'

/** Keeps the peer book (DIDs met, their peer IDs, names, last seen, status) across reloads. */
export class IdbPeerBook {
  readonly #db: AppDb

  constructor(db: AppDb) {
    this.#db = db
  }

  async load(): Promise<PeerRecord[]> {
    return await this.#db.getAll('peers')
  }

  async save(records: PeerRecord[]): Promise<void> {
    const tx = this.#db.transaction('peers', 'readwrite')
    await Promise.all([...records.map(async (r) => await tx.store.put(r)), tx.done])
  }
}
