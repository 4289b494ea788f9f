import { openDB, type DBSchema, type IDBPDatabase } from 'idb'
import type { LibraryRecord } from '../../shared/cas/library.ts'
import type { SignedEntry } from '../../shared/entries/entry.ts'
import type { TrustRecord } from '../../shared/trust/trust-list.ts'
import type { RevocationList, TrustCredential } from '../../shared/trust/credentials.ts'
import type { PeerRecord } from '../../shared/auth/peer-record.ts'
import type { SpaceRecord } from '../../shared/spaces/space-record.ts'

/** The app's own IndexedDB database (blocks live in blockstore-idb's). */
export interface AppSchema extends DBSchema {
  library: { key: string; value: LibraryRecord; indexes: { addedAt: number } }
  settings: { key: string; value: Uint8Array | string }
  entries: { key: string; value: SignedEntry; indexes: { issuer: string; signedAt: number } }
  trust: { key: string; value: TrustRecord }
  credentials: { key: string; value: TrustCredential }
  revocations: { key: string; value: RevocationList }
  peers: { key: string; value: PeerRecord }
  spaces: { key: string; value: SpaceRecord }
}

export type AppDb = IDBPDatabase<AppSchema>

const VERSION = 6

export async function openAppDb(name: string): Promise<AppDb> {
  return await openDB<AppSchema>(name, VERSION, {
    upgrade(db, oldVersion) {
      // each step upgrades one version, so a database of any age reaches VERSION
      if (oldVersion < 1) {
        const library = db.createObjectStore('library', { keyPath: 'cid' })
        library.createIndex('addedAt', 'addedAt')
        db.createObjectStore('settings')
      }
      if (oldVersion < 2) {
        const entries = db.createObjectStore('entries', { keyPath: 'cid' })
        entries.createIndex('issuer', 'entry.issuer')
        entries.createIndex('signedAt', 'entry.signedAt')
      }
      if (oldVersion < 3) db.createObjectStore('trust', { keyPath: 'did' })
      if (oldVersion < 4) {
        db.createObjectStore('credentials', { keyPath: 'id' })
        db.createObjectStore('revocations', { keyPath: 'issuer' })
      }
      if (oldVersion < 5) db.createObjectStore('peers', { keyPath: 'did' })
      if (oldVersion < 6) db.createObjectStore('spaces', { keyPath: 'id' })
    },
  })
}
