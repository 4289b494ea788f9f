import { IDBBlockstore } from 'blockstore-idb'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { VerifiedBlockStore, type BlockBackend } from '../../shared/cas/blocks.ts'

/** Blocks in IndexedDB (Helia's blockstore-idb), verified in and out. */
export class IdbBlockStore extends VerifiedBlockStore {
  readonly backend: IDBBlockstore

  private constructor(backend: IDBBlockstore) {
    super(backend)
    this.backend = backend
  }

  static async open(databaseName: string): Promise<IdbBlockStore> {
    const backend = new IDBBlockstore(databaseName)
    await backend.open()
    return new IdbBlockStore(backend)
  }

  async close(): Promise<void> {
    await this.backend.close()
  }
}

/** The in-memory twin, for unit tests. */
export class MemoryBlockStore extends VerifiedBlockStore {
  readonly backend: BlockBackend

  constructor(backend: BlockBackend = new MemoryBlockstore()) {
    super(backend)
    this.backend = backend
  }
}
