import * as Y from 'yjs'
import { clearDocument, IndexeddbPersistence } from 'y-indexeddb'
import type { SpaceRecord, SpaceStore } from '../../shared/spaces/space-record.ts'
import type { DocStore, KeptDoc } from '../sync/doc-store.ts'
import type { AppDb } from './app-db.ts'

export class IdbSpaceStore implements SpaceStore {
  readonly #db: AppDb
  constructor(db: AppDb) {
    this.#db = db
  }
  async list(): Promise<SpaceRecord[]> {
    return await this.#db.getAll('spaces')
  }
  async get(id: string): Promise<SpaceRecord | undefined> {
    return await this.#db.get('spaces', id)
  }
  async put(record: SpaceRecord): Promise<void> {
    await this.#db.put('spaces', record)
  }
  async delete(id: string): Promise<void> {
    await this.#db.delete('spaces', id)
  }
}

export class MemorySpaceStore implements SpaceStore {
  readonly #records = new Map<string, SpaceRecord>()
  async list(): Promise<SpaceRecord[]> {
    return [...this.#records.values()].map((r) => structuredClone(r))
  }
  async get(id: string): Promise<SpaceRecord | undefined> {
    const r = this.#records.get(id)
    return r === undefined ? undefined : structuredClone(r)
  }
  async put(record: SpaceRecord): Promise<void> {
    this.#records.set(record.id, structuredClone(record))
  }
  async delete(id: string): Promise<void> {
    this.#records.delete(id)
  }
}

/** y-indexeddb: one IndexedDB database per space, holding its updates. */
export class YIndexeddbDocStore implements DocStore {
  readonly #prefix: string
  readonly #open = new OpenDocs()
  constructor(prefix: string) {
    this.#prefix = prefix
  }
  async open(spaceId: string): Promise<KeptDoc> {
    return await this.#open.get(spaceId, async (doc) => {
      const persistence = new IndexeddbPersistence(`${this.#prefix}${spaceId}`, doc)
      await persistence.whenSynced
      return async () => await persistence.destroy()
    })
  }
  async delete(spaceId: string): Promise<void> {
    await clearDocument(`${this.#prefix}${spaceId}`)
  }
}

export class MemoryDocStore implements DocStore {
  readonly #updates = new Map<string, Uint8Array[]>()
  readonly #open = new OpenDocs()
  async open(spaceId: string): Promise<KeptDoc> {
    return await this.#open.get(spaceId, async (doc) => {
      const kept = this.#updates.get(spaceId) ?? []
      this.#updates.set(spaceId, kept)
      Y.transact(doc, () => kept.forEach((u) => Y.applyUpdate(doc, u)), this)
      const keep = (update: Uint8Array, origin: unknown): void => {
        if (origin !== this) kept.push(update)
      }
      doc.on('update', keep)
      return async () => await Promise.resolve(doc.off('update', keep))
    })
  }
  async delete(spaceId: string): Promise<void> {
    this.#updates.delete(spaceId)
  }
}

/**
 * The documents a store has open, one per space until closed. `load` fills a
 * new document and returns how to stop keeping it; a failed load is not kept.
 */
class OpenDocs {
  readonly #docs = new Map<string, Promise<KeptDoc>>()
  async get(spaceId: string, load: (doc: Y.Doc) => Promise<() => Promise<void>>): Promise<KeptDoc> {
    const open = this.#docs.get(spaceId)
    if (open !== undefined) return await open
    const doc = new Y.Doc()
    const forget = (): void => {
      if (this.#docs.get(spaceId) === opening) this.#docs.delete(spaceId)
    }
    const opening = load(doc).then(
      (stop) => ({
        doc,
        close: async () => {
          forget()
          await stop()
          doc.destroy()
        },
      }),
      (err: unknown) => {
        forget()
        doc.destroy()
        throw err
      },
    )
    this.#docs.set(spaceId, opening)
    return await opening
  }
}
