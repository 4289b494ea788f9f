import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { StorageFullError } from '../../shared/cas/errors.ts'
import { WANT_WINDOW } from '../../shared/protocol/limits.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'
import type { ContentSource } from './retrieval.ts'
import { logFailure, logOf } from '../../shared/log.ts'

const log = logOf('retrieval')

/** Requests a source that has not delivered yet in this fetch is given, until it does. */
const PROBE_REQUESTS = 2

/** What one source delivered in one fetch. */
export interface Share {
  source: ContentSource
  blocks: number
  bytes: number
  /** Time it had at least one request in flight. */
  busyMs: number
  /** How long its first block (the root, raced or probed) took. */
  firstBlockMs: number | undefined
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
  /** When it began delivering (its root's time before it joined included): a streaming source has been busy since. */
  since: number
  out: boolean
}

/** One block someone asked for, and the sources asked for it now. */
interface Request {
  cid: CID
  signal: AbortSignal | undefined
  resolve: (bytes: Uint8Array) => void
  reject: (err: unknown) => void
  askedOf: Set<Member>
  done: boolean
  /** Stops listening to the caller's signal. */
  unlisten: () => void
}

/**
 * One block session over several sources of the same DAG. Each block goes to
 * the source expected to deliver it soonest, by the speed it has shown in this
 * fetch, so a fast source takes most blocks and a slow one still helps. When
 * no block is waiting, a free source also asks for one a slower source is
 * still working on, and the first good answer counts: a source that joins late
 * or a slow one at the end does not hold the fetch back. Each block is kept
 * through the verifying store here, so a source that lies is named and
 * dropped, and its block asked of another.
 */
export class MultiSourceSession implements BlockSession {
  readonly #store: BlockStore
  readonly #onFailed: (source: ContentSource, err: unknown) => void
  readonly #members: Member[] = []
  /** Requests no source has been given yet. */
  #waiting: Request[] = []
  readonly #running = new Set<Request>()
  /** Blocks some source has delivered in this fetch: a later copy counts for no one. */
  readonly #delivered = new Set<string>()
  #joining = 0
  #last: unknown = undefined
  #closed = false
  /** Every block it returns is in the store already. */
  readonly stores = true

  constructor(store: BlockStore, onFailed: (source: ContentSource, err: unknown) => void) {
    this.#store = store
    this.#onFailed = onFailed
  }

  /** A source whose session is open, with what it delivered already (the root, say). */
  add(source: ContentSource, session: BlockSession, delivered?: { bytes: number; ms: number }): void {
    this.#add(source, session, delivered, { blocks: 0, ms: 0 })
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
        // a source still opening when the fetch ended was stopped, not failed: nothing is held against it
        if (this.#closed) return
        this.#last = err
        this.#onFailed(source, err)
        this.#schedule()
      },
    )
  }

  /** Requests worth keeping in flight: a full window for each source taking part. */
  window(): number {
    return WANT_WINDOW * Math.max(1, this.#members.filter((m) => !m.out).length)
  }

  shares(): Share[] {
    return this.#members
      .filter((m) => m.blocks > 0)
      .map(({ source, blocks, bytes, busyMs, firstBlockMs }) => ({ source, blocks, bytes, busyMs, firstBlockMs }))
  }

  async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    options.signal?.throwIfAborted()
    return await new Promise<Uint8Array>((resolve, reject) => {
      const signal = options.signal
      const request: Request = { cid, signal, resolve, reject, askedOf: new Set(), done: false, unlisten: () => undefined }
      const onAbort = (): void => this.#finish(request, signal?.reason)
      signal?.addEventListener('abort', onAbort, { once: true })
      request.unlisten = () => signal?.removeEventListener('abort', onAbort)
      this.#waiting.push(request)
      this.#schedule()
    })
  }

  async close(): Promise<void> {
    this.#closed = true
    this.#members.forEach((m) => (m.out = true))
    this.#schedule()
    await Promise.all(this.#members.map(async (m) => await m.session.close().catch(logFailure(log, 'closing a session'))))
  }

  #add(source: ContentSource, session: BlockSession, delivered: { bytes: number; ms: number } | undefined, probe: Member['probe']): void {
    // a source that opened after the fetch ended is not needed
    if (this.#closed) {
      void session.close().catch(logFailure(log, 'closing a session'))
      return
    }
    const member: Member = {
      source,
      session,
      blocks: delivered === undefined ? 0 : 1,
      bytes: delivered?.bytes ?? 0,
      busyMs: delivered?.ms ?? 0,
      firstBlockMs: delivered?.ms ?? (probe.blocks > 0 ? probe.ms : undefined),
      probe,
      inFlight: 0,
      busySince: undefined,
      since: Date.now() - (delivered?.ms ?? probe.ms),
      out: false,
    }
    this.#members.push(member)
    session.events?.on('kept', (cid, bytes) => this.#streamed(member, cid, bytes))
    // a stream that stopped takes the blocks it declined
    session.events?.on('ended', () => this.#schedule())
    this.#schedule()
  }

  /** Gives waiting blocks to sources, lets free sources help with slow ones, and fails what no source is left for. */
  #schedule(): void {
    const waiting = this.#waiting.filter((r) => !r.done)
    this.#waiting = []
    for (const request of waiting) {
      const member = this.#pick(request.cid)
      if (member === undefined) this.#waiting.push(request)
      else this.#ask(request, member)
    }
    if (this.#waiting.length === 0) this.#help()
    const live = this.#members.some((m) => !m.out)
    if (this.#closed || (!live && this.#joining === 0)) {
      for (const r of [...this.#waiting, ...this.#running]) if (r.askedOf.size === 0) this.#finish(r, new SourcesExhaustedError(this.#last))
    }
  }

  /**
   * The source expected to deliver this block soonest, counting the requests
   * it has in flight, of those that do not decline it. None while that source
   * is full: the block waits for it rather than go to a slower one that would
   * take longer.
   */
  #pick(cid: CID): Member | undefined {
    let best: Member | undefined
    let bestWait = Infinity
    for (const m of this.#members) {
      if (m.out || m.session.declines?.(cid) === true) continue
      const wait = this.#expectedWait(m)
      if (wait < bestWait) {
        best = m
        bestWait = wait
      }
    }
    return best !== undefined && best.inFlight < WANT_WINDOW ? best : undefined
  }

  /**
   * How long one more block would take from this source, by its speed in this
   * fetch (0 for one yet to deliver). A stream's probe does not count: its
   * root took the request's whole latency, while the blocks after it come
   * with no request each, so it is treated as yet to deliver until it does.
   */
  #expectedWait(m: Member): number {
    const probe = m.session.events === undefined ? m.probe : { blocks: 0, ms: 0 }
    const blocks = m.blocks + probe.blocks
    if (blocks === 0) return m.inFlight < PROBE_REQUESTS ? 0 : Infinity
    return ((m.inFlight + 1) * (this.#busy(m) + probe.ms)) / blocks
  }

  /**
   * An idle source also asks for a block a slower source is working on: of
   * the source that would take longest, the block asked of it last (a peer
   * answers in order, so that one comes last).
   */
  #help(): void {
    for (const helper of this.#members) {
      if (helper.out || helper.inFlight > 0) continue
      const mine = this.#expectedWait(helper)
      let slowest: { request: Request; wait: number } | undefined
      for (const r of this.#running) {
        if (r.askedOf.size !== 1 || r.askedOf.has(helper) || helper.session.declines?.(r.cid) === true) continue
        const wait = this.#expectedWait([...r.askedOf][0] as Member)
        if (wait > mine && (slowest === undefined || wait >= slowest.wait)) slowest = { request: r, wait }
      }
      if (slowest !== undefined) this.#ask(slowest.request, helper)
    }
  }

  #ask(request: Request, member: Member): void {
    request.askedOf.add(member)
    this.#running.add(request)
    this.#began(member)
    const options = request.signal === undefined ? {} : { signal: request.signal }
    member.session
      .get(request.cid, options)
      .then(async (bytes) => {
        // kept through the verifying store here, so a wrong block is blamed on its source
        if (member.session.stores !== true) await this.#store.put(request.cid, bytes, options)
        return bytes
      })
      .then(
        (bytes) => {
          if (request.done) return
          member.blocks += 1
          member.bytes += bytes.byteLength
          this.#finish(request, undefined, bytes)
        },
        (err: unknown) => {
          if (request.signal?.aborted === true) return
          // a full store is no source's fault, and no other source can cure it
          if (err instanceof StorageFullError) return this.#finish(request, err)
          // one wrong or missing block and the source is done for this fetch: its block goes to another
          if (!member.out) {
            member.out = true
            this.#last = err
            this.#onFailed(member.source, err)
          }
        },
      )
      .finally(() => {
        request.askedOf.delete(member)
        this.#ended(member)
        if (!request.done && request.askedOf.size === 0) {
          this.#running.delete(request)
          this.#waiting.unshift(request)
        }
        this.#schedule()
      })
  }

  /**
   * A block a source kept unasked (a stream): it answers every request for it
   * at once, whichever source that was asked of, and counts for this source
   * unless another delivered it first.
   */
  #streamed(member: Member, cid: CID, bytes: Uint8Array): void {
    const key = cid.toString()
    if (!member.out && !this.#delivered.has(key)) {
      member.blocks += 1
      member.bytes += bytes.byteLength
      // a stream works without requests in flight: its speed is what it delivered over the time since it began
      member.busyMs = Math.max(member.busyMs, Date.now() - member.since)
      this.#delivered.add(key)
    }
    for (const r of [...this.#running, ...this.#waiting]) if (r.cid.equals(cid)) this.#finish(r, undefined, bytes)
    this.#schedule()
  }

  #finish(request: Request, err: unknown, bytes?: Uint8Array): void {
    if (request.done) return
    request.done = true
    request.unlisten()
    this.#running.delete(request)
    if (bytes === undefined) return request.reject(err)
    this.#delivered.add(request.cid.toString())
    request.resolve(bytes)
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
  }
}
