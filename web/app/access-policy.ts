import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import { dagBlockIds } from '../../shared/cas/files.ts'
import type { LibraryIndex, LibraryRecord } from '../../shared/cas/library.ts'
import { privacyAllows, DEFAULT_PRIVACY, type Privacy } from '../../shared/trust/privacy.ts'
import { TRUST } from '../../shared/trust/levels.ts'
import type { TrustService } from './trust-service.ts'
import type { EntryIndex } from '../../shared/entries/entry-index.ts'

export interface AccessComponents {
  index: LibraryIndex
  entries: EntryIndex
  blockStore: BlockStore
  trust: TrustService
}

/** Whether a DID may receive a file for a reason besides its privacy class (a space it reads refers to it). */
export type AccessRule = (did: string, cid: string) => boolean

/**
 * Decides, per block and per requesting DID, whether a block may be sent: it
 * must be an entry, or belong to a library file, whose privacy class admits
 * that DID at my current trust in it, or that a space the DID reads refers to. Everything else is answered like a missing block.
 */
export class AccessPolicy {
  readonly #c: AccessComponents
  readonly #rules = new Set<AccessRule>()
  /** Root CID → the CIDs of its blocks; dropped whenever the library changes. */
  #blocksOf = new Map<string, Promise<Set<string>>>()
  /** Files and entries with their classes, read once per change rather than once per block. */
  #files: Promise<LibraryRecord[]> | undefined
  #entries: Promise<Map<string, Privacy>> | undefined

  constructor(components: AccessComponents) {
    this.#c = components
  }

  /**
   * Admits files to DIDs for a further reason: components built later (the
   * spaces) register here, so this policy holds none of them.
   */
  allowAlso(rule: AccessRule): () => void {
    this.#rules.add(rule)
    return () => this.#rules.delete(rule)
  }

  /** Call when files or entries are added, removed or change class. Trust is always read live. */
  invalidate(): void {
    this.#blocksOf = new Map()
    this.#files = undefined
    this.#entries = undefined
  }

  async mayReceive(did: string, cid: CID): Promise<boolean> {
    const level = this.#c.trust.levelOf(did)
    // blocked wins over every class and every space
    if (level <= TRUST.blocked) return false
    const wanted = cid.toString()
    this.#entries ??= this.#c.entries.list().then((all) => new Map(all.map((e) => [e.cid, e.privacy ?? DEFAULT_PRIVACY])))
    const entryPrivacy = (await this.#entries).get(wanted)
    if (entryPrivacy !== undefined && privacyAllows(entryPrivacy, did, level)) return true
    this.#files ??= this.#c.index.list()
    for (const record of await this.#files) {
      if (!privacyAllows(record.privacy ?? DEFAULT_PRIVACY, did, level) && ![...this.#rules].some((rule) => rule(did, record.cid))) continue
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
