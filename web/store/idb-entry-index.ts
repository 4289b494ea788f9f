import { newestSignedFirst, type EntryIndex } from '../../shared/entries/entry-index.ts'
import type { SignedEntry } from '../../shared/entries/entry.ts'
import type { AppDb } from './app-db.ts'

export class IdbEntryIndex implements EntryIndex {
  readonly #db: AppDb

  constructor(db: AppDb) {
    this.#db = db
  }

  async put(entry: SignedEntry): Promise<void> {
    await this.#db.put('entries', entry)
  }

  async get(cid: string): Promise<SignedEntry | undefined> {
    return await this.#db.get('entries', cid)
  }

  async list(): Promise<SignedEntry[]> {
    return (await this.#db.getAll('entries')).sort(newestSignedFirst)
  }
}
