import type { AppDb } from './app-db.ts'
import { newestFirst, type LibraryIndex, type LibraryRecord } from '../../shared/cas/library.ts'

export class IdbLibraryIndex implements LibraryIndex {
  readonly #db: AppDb

  constructor(db: AppDb) {
    this.#db = db
  }

  async put(record: LibraryRecord): Promise<void> {
    await this.#db.put('library', record)
  }

  async get(cid: string): Promise<LibraryRecord | undefined> {
    return await this.#db.get('library', cid)
  }

  async list(): Promise<LibraryRecord[]> {
    return (await this.#db.getAll('library')).sort(newestFirst)
  }

  async delete(cid: string): Promise<void> {
    await this.#db.delete('library', cid)
  }
}
