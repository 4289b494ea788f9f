import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import { dagBlockIds } from '../../shared/cas/files.ts'
import type { LibraryIndex } from '../../shared/cas/library.ts'
import { admits, DEFAULT_PRIVACY } from '../../shared/trust/privacy.ts'
import type { TrustService } from './trust-service.ts'
import type { EntryIndex } from '../../shared/entries/entry-index.ts'

export interface AccessComponents {
  index: LibraryIndex
  entries: EntryIndex
  blockStore: BlockStore
  trust: TrustService
}

/**
 * Decides, per block and per requesting DID, whether a block may be sent: it
 * must be an entry, or belong to a library file, whose privacy class admits
 * that DID at my current trust in it. Everything else is answered like a missing block.
 */
export class AccessPolicy {
  readonly #c: AccessComponents
  /** Root CID → the CIDs of its blocks; dropped whenever the library changes. */
  #blocksOf = new Map<string, Promise<Set<string>>>()

  constructor(components: AccessComponents) {
    this.#c = components
  }

  /** Call when files are added, removed or change class. */
  invalidate(): void {
    this.#blocksOf = new Map()
  }

  async mayReceive(did: string, cid: CID): Promise<boolean> {
    const level = this.#c.trust.levelOf(did)
    const wanted = cid.toString()
    const entry = await this.#c.entries.get(wanted)
    if (entry !== undefined && admits(entry.privacy ?? DEFAULT_PRIVACY, did, level)) return true
    for (const record of await this.#c.index.list()) {
      if (!admits(record.privacy ?? DEFAULT_PRIVACY, did, level)) continue
      if (record.cid === wanted || (await this.#blocks(record.cid)).has(wanted)) return true
    }
    return false
  }

  async #blocks(root: string): Promise<Set<string>> {
    let blocks = this.#blocksOf.get(root)
    if (blocks === undefined) {
      blocks = dagBlockIds(this.#c.blockStore, parseContentId(root))
      this.#blocksOf.set(root, blocks)
    }
    return await blocks
  }
}
