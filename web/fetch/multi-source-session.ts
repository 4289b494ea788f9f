import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { StorageFullError } from '../../shared/cas/errors.ts'
import { WANT_WINDOW } from '../../shared/protocol/limits.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'
import type { ContentSource } from './retrieval.ts'

/** Requests a source that has not delivered yet in this fetch is given, until it does. */
const PROBE_REQUESTS = 2

/** What one source delivered in one fetch. */
export interface Share {
  source: ContentSource
  blocks: number
  bytes: number
  /** Time it had at least one request in flight. */
  busyMs: number
}

/** Every source of a fetch failed, each one already reported through `onFailed`. */
export class SourcesExhaustedError extends Error {
  static override name = 'SourcesExhaustedError'
  constructor(readonly last: unknown) {
    super('Every source of this fetch failed.')
    this.name = 'SourcesExhaustedError'
  }
}

interface Member extends Share {
  session: BlockSession
  /** A probe's answer: it says how fast the source is, but its block was not used. */
  probe: { blocks: number; ms: number }
  inFlight: number
  busySince: number | undefined
  out: boolean
}

/**
 * One block session over several sources of the same DAG. Each block goes to
 * the source expected to deliver it soonest, by the speed it has shown in this
 * fetch, so a fast source takes most blocks and a slow one still helps. Each
 * block is kept through the verifying store here, so a source that lies is
 * named and dropped, and its block asked of another.
 */
export class MultiSourceSession implements BlockSession {
  readonly #members: Member[] = []
  readonly #store: BlockStore
  readonly #onFailed: (source: ContentSource, err: unknown) => void
  /** Every block it returns is in the store already. */
  readonly stores = true
  #joining = 0
  #last: unknown = undefined
  #wake: Array<() => void> = []
  #closed = false

  constructor(store: BlockStore, onFailed: (source: ContentSource, err: unknown) => void) {
    this.#store = store
    this.#onFailed = onFailed
  }

  /** A source whose session is open, with what it delivered already (the root, say). */
  add(source: ContentSource, session: BlockSession, delivered?: { bytes: number; ms: number }): void {
    this.#add(source, session, delivered, { blocks: 0, ms: 0 })
  }

  #add(source: ContentSource, session: BlockSession, delivered: { bytes: number; ms: number } | undefined, probe: Member['probe']): void {
    // a source that opened after the fetch ended is not needed
    if (this.#closed) {
      void session.close().catch(() => undefined)
      return
    }
    this.#members.push({
      source,
      session,
      blocks: delivered === undefined ? 0 : 1,
      bytes: delivered?.bytes ?? 0,
      busyMs: delivered?.ms ?? 0,
      inFlight: 0,
      busySince: undefined,
      probe,
      out: false,
    })
    this.#wakeAll()
  }

  /** A source still opening, then answering a probe: requests wait for it rather than fail while it might join. */
  join(source: ContentSource, opening: Promise<{ session: BlockSession; ms: number }>): void {
    this.#joining += 1
    opening.then(
      ({ session, ms }) => {
        this.#joining -= 1
        this.#add(source, session, undefined, { blocks: 1, ms })
      },
      (err: unknown) => {
        this.#joining -= 1
        this.#last = err
        this.#onFailed(source, err)
        this.#wakeAll()
      },
    )
  }

  /** Requests worth keeping in flight: a full window for each source taking part. */
  window(): number {
    return WANT_WINDOW * Math.max(1, this.#members.filter((m) => !m.out).length)
  }

  shares(): Share[] {
    return this.#members.filter((m) => m.blocks > 0).map(({ source, blocks, bytes, busyMs }) => ({ source, blocks, bytes, busyMs }))
  }

  async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    for (;;) {
      options.signal?.throwIfAborted()
      const member = this.#pick()
      if (member === undefined) {
        if (this.#closed || (this.#joining === 0 && this.#members.every((m) => m.out))) throw new SourcesExhaustedError(this.#last)
        await new Promise<void>((resolve) => this.#wake.push(resolve))
        continue
      }
      this.#began(member)
      try {
        const bytes = await member.session.get(cid, options)
        // kept through the verifying store here, so a wrong block is blamed on its source
        if (member.session.stores !== true) await this.#store.put(cid, bytes, options)
        member.blocks += 1
        member.bytes += bytes.byteLength
        return bytes
      } catch (err) {
        if (options.signal?.aborted === true || err instanceof StorageFullError) throw err
        // one wrong or missing block and the source is done for this fetch: its block goes to another
        if (!member.out) {
          member.out = true
          this.#last = err
          this.#onFailed(member.source, err)
        }
      } finally {
        this.#ended(member)
      }
    }
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#members.forEach((m) => (m.out = true))
    this.#wakeAll()
    await Promise.allSettled(this.#members.map(async (m) => await m.session.close()))
  }

  /**
   * The source expected to deliver one more block soonest, counting the
   * requests it has in flight. None while that source is full: the block
   * waits for it rather than go to a slower one that would take longer.
   */
  #pick(): Member | undefined {
    let best: Member | undefined
    let bestWait = Infinity
    for (const m of this.#members) {
      if (m.out) continue
      const blocks = m.blocks + m.probe.blocks
      // a source yet to deliver is tried at once, with a few requests; the others by their speed in this fetch
      const wait = blocks === 0 ? (m.inFlight < PROBE_REQUESTS ? 0 : Infinity) : ((m.inFlight + 1) * (this.#busy(m) + m.probe.ms)) / blocks
      if (wait < bestWait) {
        best = m
        bestWait = wait
      }
    }
    return best !== undefined && best.inFlight < WANT_WINDOW ? best : undefined
  }

  #busy(m: Member): number {
    return m.busyMs + (m.busySince === undefined ? 0 : Date.now() - m.busySince)
  }

  #began(m: Member): void {
    if (m.inFlight === 0) m.busySince = Date.now()
    m.inFlight += 1
  }

  #ended(m: Member): void {
    m.inFlight -= 1
    if (m.inFlight === 0 && m.busySince !== undefined) {
      m.busyMs += Date.now() - m.busySince
      m.busySince = undefined
    }
    this.#wakeAll()
  }

  #wakeAll(): void {
    const waiting = this.#wake
    this.#wake = []
    waiting.forEach((resolve) => resolve())
  }
}
