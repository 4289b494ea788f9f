import { newestSignedFirst, type EntryIndex } from '../../shared/entries/entry-index.ts'
import type { SignedEntry } from '../../shared/entries/entry.ts'

export class MemoryEntryIndex implements EntryIndex {
  readonly #entries = new Map<string, SignedEntry>()

  async put(entry: SignedEntry): Promise<void> {
    this.#entries.set(entry.cid, structuredClone(entry))
  }

  async get(cid: string): Promise<SignedEntry | undefined> {
    const entry = this.#entries.get(cid)
    return entry === undefined ? undefined : structuredClone(entry)
  }

  async list(): Promise<SignedEntry[]> {
    return [...this.#entries.values()].map((e) => structuredClone(e)).sort(newestSignedFirst)
  }
}
