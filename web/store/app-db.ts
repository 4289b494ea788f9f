import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { LibraryRecord } from '../../shared/cas/library.ts'

/** The app's own IndexedDB database (blocks live in blockstore-idb's). */
export interface AppSchema extends DBSchema {
  library: { key: string; value: LibraryRecord; indexes: { addedAt: number } }
  settings: { key: string; value: Uint8Array | string }
}

export type AppDb = IDBPDatabase<AppSchema>

const VERSION = 1

export async function openAppDb(name: string): Promise<AppDb> {
  return await openDB<AppSchema>(name, VERSION, {
    upgrade(db) {
      const library = db.createObjectStore('library', { keyPath: 'cid' })
      library.createIndex('addedAt', 'addedAt')
      db.createObjectStore('settings')
    },
  })
}
