import 'fake-indexeddb/auto'
import { afterAll, expect } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { runBlockStoreContract } from '../../shared/testing/block-store-contract.ts'
import { runLibraryIndexContract } from '../../shared/testing/library-index-contract.ts'
import { IdbBlockStore, MemoryBlockStore } from './block-stores.ts'
import { MemoryLibraryIndex } from './memory-library-index.ts'
import { IdbLibraryIndex } from './idb-library-index.ts'
import { openAppDb } from './app-db.ts'
import { runCredentialStoreContract } from '../../shared/testing/credential-store-contract.ts'
import { IdbCredentialStore, MemoryCredentialStore } from './credential-stores.ts'
import { runTrustListContract } from '../../shared/testing/trust-list-contract.ts'
import { IdbTrustList, MemoryTrustList } from './trust-lists.ts'
import { runEntryIndexContract } from '../../shared/testing/entry-index-contract.ts'
import { MemoryEntryIndex } from './memory-entry-index.ts'
import { IdbEntryIndex } from './idb-entry-index.ts'
import { runSpaceStoreContract } from '../../shared/testing/space-store-contract.ts'
import { runDocStoreContract } from '../sync/testing/doc-store-contract.ts'
import { IdbSpaceStore, MemoryDocStore, MemorySpaceStore, YIndexeddbDocStore } from './space-stores.ts'

let n = 0
const uniqueName = (prefix: string) => `${prefix}-${Date.now()}-${n++}`
/** Connections this file opened: closed, and every database deleted, when it is done. */
const opened: Array<{ close: () => unknown }> = []
async function appDb(): Promise<Awaited<ReturnType<typeof openAppDb>>> {
  const db = await openAppDb(uniqueName('app'))
  opened.push(db)
  return db
}

afterAll(async () => {
  for (const connection of opened) await connection.close()
  for (const { name } of await indexedDB.databases()) {
    if (name === undefined) continue
    await new Promise<void>((resolve, reject) => {
      const request = indexedDB.deleteDatabase(name)
      request.onsuccess = () => resolve()
      request.onerror = () => reject(request.error ?? new Error(`deleting ${name} failed`))
      request.onblocked = () => reject(new Error(`deleting ${name} is blocked by a connection left open`))
    })
  }
  expect(await indexedDB.databases()).toEqual([])
})

runBlockStoreContract('MemoryBlockStore', async () => {
  const backend = new MemoryBlockstore()
  return { store: new MemoryBlockStore(backend), corrupt: async (cid, bytes) => void (await backend.put(cid, bytes)) }
})

runBlockStoreContract('IdbBlockStore (fake-indexeddb)', async () => {
  const store = await IdbBlockStore.open(uniqueName('blocks'))
  opened.push(store)
  return { store, corrupt: async (cid, bytes) => void (await store.backend.put(cid, bytes)) }
})

runLibraryIndexContract('MemoryLibraryIndex', async () => new MemoryLibraryIndex())
runLibraryIndexContract('IdbLibraryIndex (fake-indexeddb)', async () => new IdbLibraryIndex(await appDb()))

runEntryIndexContract('MemoryEntryIndex', async () => new MemoryEntryIndex())
runEntryIndexContract('IdbEntryIndex (fake-indexeddb)', async () => new IdbEntryIndex(await appDb()))

runTrustListContract('MemoryTrustList', async () => new MemoryTrustList())
runTrustListContract('IdbTrustList (fake-indexeddb)', async () => new IdbTrustList(await appDb()))

runCredentialStoreContract('MemoryCredentialStore', async () => new MemoryCredentialStore())
runCredentialStoreContract('IdbCredentialStore (fake-indexeddb)', async () => new IdbCredentialStore(await appDb()))

runSpaceStoreContract('MemorySpaceStore', async () => new MemorySpaceStore())
runSpaceStoreContract('IdbSpaceStore (fake-indexeddb)', async () => new IdbSpaceStore(await appDb()))

runDocStoreContract('MemoryDocStore', async () => new MemoryDocStore())
runDocStoreContract('YIndexeddbDocStore (fake-indexeddb)', async () => new YIndexeddbDocStore(uniqueName('space-')))
