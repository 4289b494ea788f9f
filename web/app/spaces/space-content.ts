import type { Connection } from '@libp2p/interface'
import type { OpenSpace, SpaceFile } from './open-space.ts'

export interface SpaceContentComponents {
  connectionsTo: (did: string) => Connection[]
  /** Fetches a file the space refers to from a member, verified block by block. */
  fetchFile: (connection: Connection, cid: string, file: SpaceFile) => Promise<void>
  hasFile: (cid: string) => Promise<boolean>
  /** Checks and stores an entry found in a space; throws on a forgery. */
  importEntry: (jws: string) => Promise<{ title: string }>
  /** A space's record changed (the files it serves): keep it. */
  save: (space: OpenSpace) => void
  changed: () => void
}

/**
 * What spaces refer to, brought here in the background: entries checked and
 * stored, files fetched from members and verified. Also which files each
 * space lets me serve to its readers.
 */
export class SpaceContent {
  readonly #c: SpaceContentComponents
  /** Files being fetched now, and files known to be in my store. */
  readonly fetching = new Set<string>()
  readonly local = new Set<string>()
  /** Entry CID → its title, or why it was refused. */
  readonly entryTitles = new Map<string, string | Error>()

  constructor(components: SpaceContentComponents) {
    this.#c = components
  }

  /**
   * Whether a DID may receive a file because a space it reads refers to it and
   * I put it there or got it through that space: any writer can name any CID
   * in a space, which must not make me hand out a private file I hold for
   * other reasons.
   */
  admitsFile(spaces: Iterable<OpenSpace>, did: string, cid: string): boolean {
    for (const s of spaces) if (s.files.has(cid) && s.record.servedFiles?.includes(cid) === true && s.replica.admits(did)) return true
    return false
  }

  /** Starts or stops serving a file to a space's readers. */
  serve(space: OpenSpace, cid: string, serve: boolean): void {
    const served = (space.record.servedFiles ?? []).filter((c) => c !== cid)
    space.record = { ...space.record, servedFiles: serve ? [...served, cid] : served }
    this.#c.save(space)
  }

  async fetchMissing(space: OpenSpace): Promise<void> {
    for (const [cid, jws] of space.entries.entries()) {
      if (this.entryTitles.has(cid)) continue
      this.entryTitles.set(cid, new Error('checking'))
      await this.#c.importEntry(jws).then(
        (e) => this.entryTitles.set(cid, e.title),
        (err: unknown) => this.entryTitles.set(cid, err instanceof Error ? err : new Error(String(err))),
      )
      this.#c.changed()
    }
    for (const [cid, file] of space.files.entries()) {
      if (this.fetching.has(cid) || this.local.has(cid)) continue
      if (await this.#c.hasFile(cid)) {
        this.local.add(cid)
        this.#c.changed()
        continue
      }
      const holders = [file.addedBy, ...space.replica.peers().map((p) => p.did)]
      const connection = holders.flatMap((did) => this.#c.connectionsTo(did))[0]
      if (connection === undefined) continue
      this.fetching.add(cid)
      this.#c.changed()
      await this.#c
        .fetchFile(connection, cid, file)
        .then(() => {
          this.local.add(cid)
          this.serve(space, cid, true)
        })
        // another member, or the next round, may have it
        .catch(() => undefined)
        .finally(() => this.fetching.delete(cid))
      this.#c.changed()
    }
  }
}
