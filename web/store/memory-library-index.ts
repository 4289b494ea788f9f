import { newestFirst, type LibraryIndex, type LibraryRecord } from '../../shared/cas/library.ts'

export class MemoryLibraryIndex implements LibraryIndex {
  readonly #records = new Map<string, LibraryRecord>()

  async put(record: LibraryRecord): Promise<void> {
    this.#records.set(record.cid, { ...record })
  }

  async get(cid: string): Promise<LibraryRecord | undefined> {
    const record = this.#records.get(cid)
    return record === undefined ? undefined : { ...record }
  }

  async list(): Promise<LibraryRecord[]> {
    return [...this.#records.values()].map((r) => ({ ...r })).sort(newestFirst)
  }

  async delete(cid: string): Promise<void> {
    this.#records.delete(cid)
  }
}
