import type { CID } from 'multiformats/cid'
import type { BlockSession, BlockSessionEvents } from '../net/block-exchange/session.ts'
import { Emitter } from '../../shared/events/emitter.ts'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { BlockNotFoundError, BlockTooLargeError } from '../../shared/cas/errors.ts'
import { MAX_BLOCK_BYTES } from '../../shared/cas/limits.ts'
import { declaredFileSize, readBlock } from '../../shared/cas/dag.ts'
import { entityBytesOf, linksInRange, type ByteRange } from '../../shared/cas/byte-range.ts'
import { UnexpectedBlockError } from '../../shared/protocol/errors.ts'
import { logFailure, logOf } from '../../shared/log.ts'
import { asError } from '../../shared/errors.ts'

const log = logOf('retrieval')

/** How a stream's end answers every block it did not bring, rather than leave them to single blocks. */
const ANSWERS = new Set(['CidMismatchError', 'BlockNotFoundError'])

/** How long the stream may go without a block before it is given up for block-by-block requests. */
const IDLE_TIMEOUT_MS = 30_000

/**
 * A stream of a part of the file that ends well is followed by a stream of
 * the half of the bytes before it (the source it helps works from the start),
 * while that half is at least this large; after that, blocks come one by one.
 */
const SMALLEST_NEXT_PART_BYTES = 1024 * 1024

/** Bytes the CAR reader may take in without finishing a block: one block of the largest size, and room for one read. */
const MAX_BYTES_PER_BLOCK = MAX_BLOCK_BYTES + 1024 * 1024

/** What a stream may keep beyond what its root declares: the DAG's own nodes. */
const DAG_OVERHEAD = (declared: number): number => Math.ceil(declared / 64) + MAX_BLOCK_BYTES

/**
 * A whole DAG from a trustless gateway as one CAR response (dag-scope=all,
 * depth-first), instead of a request per block; or, from a byte offset on,
 * the blocks of the file's end (dag-scope=entity, entity-bytes), so that a
 * stream helping another source starts where that one will not be for a
 * while. Each block is checked as it streams: against its CID (the verifying
 * store), and against the DAG (only the root, then the links of blocks
 * already kept, are taken). It is kept in the store at once, so the fetch
 * finds it there; a block asked before it streamed in is waited for.
 *
 * The stream stops after the root until a block beyond it is asked for, that
 * is, until the fetch has accepted the size the root declares; and it carries
 * no more than that size. A gateway that cannot stream as asked (no CAR, a
 * cut stream, blocks out of order) leaves the rest to `perBlock`; one that
 * streams bytes that do not match their CID is named by the error, as a
 * per-block source would be. While a stream of a part runs, it declines the
 * blocks outside it. Once it has brought its part, it streams the half before
 * it (a fast gateway helping a slow peer takes more of the file, not the
 * same blocks), and it takes any block once no part is left to stream.
 */
export class CarStreamSession implements BlockSession {
  readonly stores = true
  readonly events = new Emitter<BlockSessionEvents>()
  readonly #store: BlockStore
  readonly #root: CID
  readonly #perBlock: () => Promise<BlockSession>
  readonly #stop = new AbortController()
  /** CIDs kept from the stream. */
  readonly #kept = new Set<string>()
  /** CIDs the stream may bring: the root, then the links of each block kept. */
  readonly #expected = new Set<string>()
  /** Of those, the ones it is to bring: all, or those that lead to the range's bytes. */
  readonly #toCome = new Set<string>()
  /** The bytes streamed, when not the whole file; and where each expected block starts in it. */
  readonly #range: ByteRange | undefined
  readonly #starts = new Map<string, number>()
  readonly #waiters = new Map<string, Array<() => void>>()
  /** Opened by the first block asked for (or asked about) beyond the root, or by closing. */
  readonly #beyondRoot: { promise: Promise<void>; resolve: () => void }
  #ended: { error: unknown } | undefined
  readonly #streaming: Promise<void>
  #fallback: Promise<BlockSession> | undefined
  /** The stream of the part before this one, once this one brought its own. */
  #next: CarStreamSession | undefined
  readonly #url: string

  constructor(
    url: string,
    root: CID,
    store: BlockStore,
    perBlock: () => Promise<BlockSession>,
    options: { fromByte?: number; toByte?: number } = {},
  ) {
    this.#url = url
    this.#store = store
    this.#root = root
    this.#perBlock = perBlock
    const from = options.fromByte ?? 0
    const to = options.toByte ?? Infinity
    this.#range = from > 0 || to !== Infinity ? { from, to } : undefined
    this.#expected.add(root.toString())
    this.#toCome.add(root.toString())
    this.#starts.set(root.toString(), 0)
    let open = (): void => undefined
    this.#beyondRoot = { promise: new Promise<void>((resolve) => (open = resolve)), resolve: () => open() }
    this.#streaming = this.#stream(url).then(
      () => this.#end(undefined),
      (err: unknown) => this.#end(err),
    )
  }

  async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    const key = cid.toString()
    if (!cid.equals(this.#root)) this.#beyondRoot.resolve()
    if (this.#ended === undefined && !this.#kept.has(key)) await this.#arrival(key, options.signal)
    if (this.#kept.has(key)) return await this.#store.get(cid, options)
    if (this.#next !== undefined) return await this.#next.get(cid, options)
    const error = this.#ended?.error
    // bytes that do not match their CID are the gateway's lie, and a 404 its answer; anything else (a block out of order, say) is left to single blocks
    if (error instanceof Error && ANSWERS.has(error.name)) throw error
    this.#fallback ??= this.#perBlock()
    return await (await this.#fallback).get(cid, options)
  }

  /**
   * A block outside the part being streamed (or, before the root came, any
   * block but the root), while the part streams; a fetch asking about one has
   * accepted the root's size, which opens the stream.
   */
  declines(cid: CID): boolean {
    const key = cid.toString()
    if (!cid.equals(this.#root)) this.#beyondRoot.resolve()
    if (this.#next !== undefined) return this.#next.declines(cid)
    return this.#range !== undefined && this.#ended === undefined && !this.#kept.has(key) && !this.#toCome.has(key)
  }

  /** Returns once the stream has stopped: nothing more is kept after it. */
  async close(): Promise<void> {
    this.#stop.abort()
    this.#beyondRoot.resolve()
    await this.#streaming
    await this.#next?.close()
    if (this.#fallback !== undefined) await (await this.#fallback).close()
  }

  async #stream(url: string): Promise<void> {
    const { CarBlockIterator } = await import('@ipld/car/iterator')
    let idle: ReturnType<typeof setTimeout> | undefined
    const idleStop = new AbortController()
    const stillGoing = (): void => {
      clearTimeout(idle)
      idle = setTimeout(() => idleStop.abort(new Error(`no block for ${IDLE_TIMEOUT_MS / 1000} s`)), IDLE_TIMEOUT_MS)
    }
    stillGoing()
    const signal = AbortSignal.any([this.#stop.signal, idleStop.signal])
    try {
      const body = await carResponse(url, this.#root, this.#range, signal)
      const read = { sinceBlock: 0 }
      let limit = MAX_BLOCK_BYTES
      let streamedBytes = 0
      for await (const { cid, bytes } of await CarBlockIterator.fromIterable(bounded(body, read, signal))) {
        read.sinceBlock = 0
        stillGoing()
        const key = cid.toString()
        // copies count too: a gateway that repeats blocks reaches the limit
        streamedBytes += bytes.byteLength
        if (streamedBytes > limit) throw new Error(`the stream carried more than the root declares (${limit} bytes)`)
        if (this.#kept.has(key)) continue
        // only blocks of this DAG, each after the block that links to it: nothing else gets into the store
        if (!this.#expected.delete(key)) throw new UnexpectedBlockError('a block of this DAG linked from one already kept', key)
        signal.throwIfAborted()
        await this.#store.put(cid, bytes)
        this.#toCome.delete(key)
        const links = readBlock(cid, bytes).links
        for (const link of links) if (!this.#kept.has(link.toString())) this.#expected.add(link.toString())
        for (const link of this.#linksToCome(cid, bytes, links)) if (!this.#kept.has(link.toString())) this.#toCome.add(link.toString())
        this.#keep(key)
        this.events.emit('kept', cid, bytes)
        // the whole DAG (or range) is here: what more the gateway might send is not read
        if (this.#toCome.size === 0) return
        if (cid.equals(this.#root)) {
          const declared = declaredFileSize(cid, bytes)
          // a directory declares no size to hold the stream to: its files come block by block, each checked against the fetch's limit
          if (declared === 0) return
          limit = declared + DAG_OVERHEAD(declared)
          // paused, not idle: closing the session opens the gate too
          clearTimeout(idle)
          await this.#beyondRoot.promise
          signal.throwIfAborted()
          stillGoing()
        }
      }
      if (this.#toCome.size > 0) throw new Error(`the CAR ended with ${this.#toCome.size} blocks of the DAG still to come`)
    } finally {
      clearTimeout(idle)
    }
  }

  /** The links the gateway is to send: every one, or those leading to the range's bytes (as the gateway picks them; one that sends more is not wrong). */
  #linksToCome(cid: CID, bytes: Uint8Array, links: CID[]): CID[] {
    if (this.#range === undefined) return links
    const inRange = linksInRange(cid, bytes, this.#starts.get(cid.toString()) ?? 0, this.#range)
    for (const link of inRange) if (!this.#starts.has(link.cid.toString())) this.#starts.set(link.cid.toString(), link.start)
    return inRange.map((link) => link.cid)
  }

  #keep(key: string): void {
    this.#kept.add(key)
    this.#waiters.get(key)?.forEach((wake) => wake())
    this.#waiters.delete(key)
  }

  #end(error: unknown): void {
    this.#ended = { error }
    const from = this.#range?.from ?? 0
    if (error === undefined && !this.#stop.signal.aborted && from >= 2 * SMALLEST_NEXT_PART_BYTES) {
      const next = new CarStreamSession(this.#url, this.#root, this.#store, this.#perBlock, {
        fromByte: Math.floor(from / 2),
        toByte: from - 1,
      })
      // the fetch accepted the root's size when this stream went past it
      next.#beyondRoot.resolve()
      next.events.on('kept', (cid, bytes) => this.events.emit('kept', cid, bytes))
      next.events.on('ended', () => this.events.emit('ended'))
      this.#next = next
    }
    if (error !== undefined && !this.#stop.signal.aborted && !(error instanceof BlockNotFoundError))
      logFailure(log, 'streaming a CAR (the rest goes block by block)')(error)
    for (const wakers of this.#waiters.values()) wakers.forEach((wake) => wake())
    this.#waiters.clear()
    this.#beyondRoot.resolve()
    this.events.emit('ended')
  }

  /** Until the block is kept or the stream ends. */
  async #arrival(key: string, signal: AbortSignal | undefined): Promise<void> {
    signal?.throwIfAborted()
    await new Promise<void>((resolve, reject) => {
      const onAbort = (): void => reject(asError(signal?.reason))
      const wake = (): void => {
        signal?.removeEventListener('abort', onAbort)
        resolve()
      }
      signal?.addEventListener('abort', onAbort, { once: true })
      this.#waiters.set(key, [...(this.#waiters.get(key) ?? []), wake])
    })
  }
}

/**
 * The body of a CAR response. The signal is not given to fetch: with one,
 * Node 20's fetch left the last read of a body pending for good, abort or
 * not. An abort before the answer leaves the request to finish alone, and
 * cancels its body then.
 */
async function carResponse(
  gateway: string,
  root: CID,
  range: ByteRange | undefined,
  signal: AbortSignal,
): Promise<ReadableStream<Uint8Array>> {
  const scope = range === undefined ? 'dag-scope=all' : `dag-scope=entity&entity-bytes=${entityBytesOf(range)}`
  const answer = fetch(`${gateway}/ipfs/${root.toString()}?format=car&${scope}`, {
    headers: { accept: 'application/vnd.ipld.car; version=1; order=dfs; dups=n' },
  })
  let onAbort = (): void => undefined
  const stopped = new Promise<never>((_resolve, reject) => (onAbort = () => reject(asError(signal.reason))))
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    if (signal.aborted) onAbort()
    const response = await Promise.race([answer, stopped])
    if (!response.ok || response.body === null) {
      await response.body?.cancel()
      // not holding the root is an answer: no single block would come either
      if (response.status === 404) throw new BlockNotFoundError(root.toString())
      throw new Error(`the gateway answered ${response.status} to a CAR request`)
    }
    return response.body
  } catch (err) {
    if (signal.aborted) void answer.then(async (late) => await late.body?.cancel(), logFailure(log, 'asking a gateway for a CAR'))
    throw err
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
}

/** The body's bytes, cut off when the CAR reader would take in more than one block's worth without finishing one, or when the signal aborts. */
async function* bounded(body: ReadableStream<Uint8Array>, read: { sinceBlock: number }, signal: AbortSignal): AsyncGenerator<Uint8Array> {
  const reader = body.getReader()
  // cancelling ends a pending read at once
  const onAbort = (): void => void reader.cancel(signal.reason).catch(logFailure(log, 'cancelling a CAR response'))
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    for (;;) {
      const { done, value } = await reader.read()
      signal.throwIfAborted()
      if (done) return
      read.sinceBlock += value.byteLength
      if (read.sinceBlock > MAX_BYTES_PER_BLOCK) throw new BlockTooLargeError(read.sinceBlock, MAX_BYTES_PER_BLOCK)
      yield value
    }
  } finally {
    signal.removeEventListener('abort', onAbort)
    // stops the download when the reader stops early (a bad block, the whole DAG in)
    await reader.cancel().catch(logFailure(log, 'cancelling a CAR response'))
  }
}
