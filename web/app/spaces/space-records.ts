import type { SpaceRecord, SpaceStore } from '../../../shared/spaces/space-record.ts'
import { logFailure, logOf } from '../../../shared/log.ts'
import type { OpenSpace } from './open-space.ts'

const log = logOf('spaces')

/** Bookkeeping that changes often (sync lines, learnt grants, served files) is written at most this often. */
const SAVE_SOON_MS = 1_000

/**
 * The one way a space's record changes and is kept. Decisions (who was
 * admitted, who came by the link, who was removed, the privacy setting) are
 * written at once and awaited; bookkeeping is gathered and written within a
 * second, and a failed write of it keeps the previous record (it is logged:
 * grants are in the document too, and sync lines are learnt again).
 */
export class SpaceRecords {
  readonly #store: SpaceStore
  readonly #dirty = new Map<string, OpenSpace>()
  #timer: ReturnType<typeof setTimeout> | undefined

  constructor(store: SpaceStore) {
    this.#store = store
  }

  async list(): Promise<SpaceRecord[]> {
    return await this.#store.list()
  }

  /**
   * Changes a space's record at once (before any await, so two callers racing
   * see each other's change) and keeps it: 'now' resolves once written,
   * 'soon' within a second.
   */
  async update(space: OpenSpace, change: (record: SpaceRecord) => SpaceRecord, when: 'now' | 'soon'): Promise<void> {
    space.record = change(space.record)
    if (when === 'now') {
      this.#dirty.delete(space.record.id)
      await this.#store.put(space.record)
      return
    }
    this.#dirty.set(space.record.id, space)
    this.#timer ??= setTimeout(() => void this.flush(), SAVE_SOON_MS)
  }

  /** Writes what is waiting to be written. */
  async flush(): Promise<void> {
    clearTimeout(this.#timer)
    this.#timer = undefined
    const waiting = [...this.#dirty.values()]
    this.#dirty.clear()
    for (const space of waiting) await this.#store.put(space.record).catch(logFailure(log, `saving space ${space.record.id}`))
  }

  async delete(spaceId: string): Promise<void> {
    this.#dirty.delete(spaceId)
    await this.#store.delete(spaceId)
  }
}
