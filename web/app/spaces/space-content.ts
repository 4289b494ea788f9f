import type { Connection } from '@libp2p/interface'
import { FileTooLargeError } from '../../../shared/cas/errors.ts'
import { asError } from '../../../shared/errors.ts'
import { logOf } from '../../../shared/log.ts'
import { Emitter, type Unsubscribe } from '../../../shared/events/emitter.ts'
import type { SpaceRecords } from './space-records.ts'

const log = logOf('spaces')
import type { OpenSpace, SpaceFile } from './open-space.ts'

export interface SpaceContentComponents {
  connectionsOf: (did: string) => Connection[]
  /** Fetches a file the space refers to from members (together, when it is large), verified block by block; FileTooLargeError past `maxBytes`. */
  fetchFile: (connections: Connection[], cid: string, file: SpaceFile, maxBytes?: number) => Promise<void>
  hasFile: (cid: string) => Promise<boolean>
  /** Checks and stores an entry found in a space; throws on a forgery. */
  importEntry: (jws: string) => Promise<{ title: string }>
  /** Where a space's record (the files it serves) is kept. */
  records: SpaceRecords
}

export interface SpaceContentEvents {
  /** A file or entry of a space arrived, started or stopped arriving, or was held back. */
  change: []
}

/** An entry a space refers to, being checked, verified, or refused. */
export type EntryCheck = { state: 'checking' } | { state: 'verified'; title: string } | { state: 'refused'; error: Error }

/** Files larger than this wait for someone to ask for them: no one's disk fills up unasked. */
export const BACKGROUND_FETCH_MAX_BYTES = 256 * 1024 * 1024

/**
 * What spaces refer to, brought here in the background: entries checked and
 * stored, files fetched from members and verified. Also which files each
 * space lets me serve to its readers.
 */
export class SpaceContent {
  readonly #c: SpaceContentComponents
  readonly #events = new Emitter<SpaceContentEvents>()
  /** Files being fetched now, and files known to be in my store. */
  readonly fetching = new Set<string>()
  readonly local = new Set<string>()
  /** Entry CID → where its check stands: its title once verified, or why it was refused. */
  readonly entryChecks = new Map<string, EntryCheck>()
  /** Files held back for their size (CID → bytes, as claimed or as their root declares). */
  readonly tooLarge = new Map<string, number>()
  /** Files someone asked for, whatever their size. */
  readonly #wanted = new Set<string>()

  constructor(components: SpaceContentComponents) {
    this.#c = components
  }

  on<K extends keyof SpaceContentEvents>(name: K, listener: (...args: SpaceContentEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /**
   * Whether a DID may receive a file because a space it reads refers to it and
   * I put it there or got it through that space: any writer can name any CID
   * in a space, which must not make me hand out a private file I hold for
   * other reasons.
   */
  servesFileTo(spaces: Iterable<OpenSpace>, did: string, cid: string): boolean {
    for (const s of spaces) if (s.files.has(cid) && s.record.servedFiles?.includes(cid) === true && s.replica.syncsWith(did)) return true
    return false
  }

  /** Starts or stops serving a file to a space's readers. */
  serve(space: OpenSpace, cid: string, serve: boolean): void {
    void this.#c.records.update(
      space,
      (r) => {
        const served = (r.servedFiles ?? []).filter((c) => c !== cid)
        return { ...r, servedFiles: serve ? [...served, cid] : served }
      },
      'soon',
    )
  }

  async fetchMissing(space: OpenSpace): Promise<void> {
    for (const [cid, jws] of space.entries.entries()) {
      if (this.entryChecks.has(cid)) continue
      this.entryChecks.set(cid, { state: 'checking' })
      await this.#c.importEntry(jws).then(
        (e) => this.entryChecks.set(cid, { state: 'verified', title: e.title }),
        (err: unknown) => this.entryChecks.set(cid, { state: 'refused', error: asError(err) }),
      )
      this.#events.emit('change')
    }
    for (const [cid, file] of space.files.entries()) {
      if (this.fetching.has(cid) || this.local.has(cid)) continue
      if (await this.#c.hasFile(cid)) {
        this.local.add(cid)
        this.#events.emit('change')
        continue
      }
      const wanted = this.#wanted.has(cid)
      if (!wanted && file.size > BACKGROUND_FETCH_MAX_BYTES) {
        this.#holdBack(cid, file.size)
        continue
      }
      const holders = new Set([file.addedBy, ...space.replica.peers().map((p) => p.did)])
      const connections = [...holders].flatMap((did) => this.#c.connectionsOf(did))
      if (connections.length === 0) continue
      this.fetching.add(cid)
      this.#events.emit('change')
      await this.#c
        .fetchFile(connections, cid, file, wanted ? undefined : BACKGROUND_FETCH_MAX_BYTES)
        .then(() => {
          this.local.add(cid)
          this.serve(space, cid, true)
        })
        .catch((err: unknown) => {
          // bigger than its entry claimed: held back too; any other failure: another member, or the next round, may have it
          if (err instanceof FileTooLargeError) this.#holdBack(cid, err.bytes)
          else log('fetching %s for space %s failed, trying next round: %e', cid, space.record.id, err)
        })
        .finally(() => this.fetching.delete(cid))
      this.#events.emit('change')
    }
  }

  /** Someone asked for a file held back for its size: fetch it now. */
  async fetchNow(space: OpenSpace, cid: string): Promise<void> {
    this.#wanted.add(cid)
    this.tooLarge.delete(cid)
    await this.fetchMissing(space)
  }

  #holdBack(cid: string, bytes: number): void {
    if (this.tooLarge.get(cid) === bytes) return
    this.tooLarge.set(cid, bytes)
    this.#events.emit('change')
  }
}
