import { FsBlockstore } from 'blockstore-fs'
import { join } from 'node:path'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'

/** The relay's pinned blocks, on disk (one file per block), verified on the way in and out. */
export class RelayBlocks extends VerifiedBlockStore {
  readonly #fs: FsBlockstore

  private constructor(fs: FsBlockstore) {
    super(fs)
    this.#fs = fs
  }

  static async open(dataDir: string): Promise<RelayBlocks> {
    const fs = new FsBlockstore(join(dataDir, 'blocks'))
    await fs.open()
    return new RelayBlocks(fs)
  }

  async close(): Promise<void> {
    await this.#fs.close()
  }
}
