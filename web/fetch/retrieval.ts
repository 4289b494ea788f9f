import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'
import { fetchDag, type FetchProgress } from './fetch-dag.ts'
import { MultiSourceSession, SourcesExhaustedError } from './multi-source-session.ts'
import { verifyBlock } from '../../shared/cas/cid.ts'
import { declaredFileSize } from '../../shared/cas/dag.ts'
import { BlockNotFoundError } from '../../shared/cas/errors.ts'
import type { SourceKind, SourceRecords } from './source-records.ts'
import { logFailure, logOf } from '../../shared/log.ts'

const log = logOf('retrieval')

/** A place content can be asked of: a peer, the relay's gateway, a public gateway. */
export interface ContentSource {
  id: string
  /** For people: a name, "the relay", a gateway's host. */
  label: string
  kind: SourceKind
  /**
   * Opens a session for one DAG; throws when the source cannot be reached.
   * A source that streams the DAG starts at `fromByte` of the file when
   * given: another source is working from its start.
   */
  open(root: CID, signal: AbortSignal, options?: { fromByte?: number }): Promise<BlockSession>
}

/** One source tried for one retrieval, and how it went. */
export interface Attempt {
  source: { id: string; label: string; kind: SourceKind }
  /** `missing`: it answered that it does not hold the content (a peer answers so too for what it does not share with us). */
  outcome: 'delivered' | 'missing' | 'failed' | 'bad-bytes' | 'aborted'
  reason?: string
}

export interface Retrieval {
  /** Where most bytes came from (the local store when everything was already here). */
  source: { id: string; label: string; kind: SourceKind }
  /** Every source that delivered, and how many bytes (empty when everything was already here). */
  shares: Array<{ source: { id: string; label: string; kind: SourceKind }; bytes: number }>
  progress: FetchProgress
  attempts: Attempt[]
  ms: number
}

export interface RetrieveOptions {
  signal?: AbortSignal
  maxBytes?: number
  onProgress?: (progress: FetchProgress) => void
  /** Called as each source is tried, so the UI can say so. */
  onAttempt?: (attempt: Attempt) => void
  /** Names errors to words for the attempts list. */
  describe: (err: unknown) => string
}

/** Every source of a tier failed, and the last tier too: the reasons, per source. */
export class NoSourceError extends Error {
  static override name = 'NoSourceError'
  readonly attempts: Attempt[]
  constructor(attempts: Attempt[]) {
    super(
      attempts.length === 0
        ? 'No source to ask for this content.'
        : `No source delivered it: ${attempts.map((a) => `${a.source.label}: ${(a.reason ?? a.outcome).replace(/\.$/, '')}`).join('; ')}.`,
    )
    this.name = 'NoSourceError'
    this.attempts = attempts
  }
}

const LOCAL = { id: 'local', label: 'this browser', kind: 'local' as const }

/** A DAG whose root declares at least this much is fetched from every source that holds it, together. */
export const TOGETHER_FROM_BYTES = 1024 * 1024

/** Sources asked to help the first one with a large DAG. */
const HELPERS = 3

/**
 * The one retrieval chain: the local store, then each tier of sources in
 * turn. Sources within a tier are raced for the root block, the first
 * verified answer wins and the others are aborted. A large DAG is then
 * fetched from the winner and the other sources still untried (of this tier
 * and the later ones) together, each block from whichever is fastest then.
 * Every block is checked against its CID, whatever its source; a source that
 * fails or sends bad bytes is recorded, and the fetch resumes from the blocks
 * already held.
 */
export async function retrieve(
  root: CID,
  tiers: ContentSource[][],
  store: BlockStore,
  records: SourceRecords,
  options: RetrieveOptions,
): Promise<Retrieval> {
  const started = Date.now()
  const attempts: Attempt[] = []
  const note = (attempt: Attempt): void => {
    attempts.push(attempt)
    options.onAttempt?.(attempt)
  }
  const failed = (source: ContentSource, err: unknown): void => {
    // not holding it is an answer, not a fault of the source: its record stays as it was
    if (err instanceof BlockNotFoundError) {
      const reason = source.kind === 'peer' ? options.describe(err) : 'it does not have this content'
      note({ source: describeSource(source), outcome: 'missing', reason })
      return
    }
    const badBytes = isBadBytes(err)
    const reason = options.describe(err)
    records.failed(source, reason, badBytes)
    note({ source: describeSource(source), outcome: badBytes ? 'bad-bytes' : 'failed', reason })
  }
  const local = await completeLocally(root, store, options)
  if (local !== undefined) return { source: LOCAL, shares: [], progress: local, attempts, ms: Date.now() - started }
  // a source is asked once per retrieval: whoever failed, won or helped is not asked again
  const asked = new Set<string>()
  for (const [t, tier] of tiers.entries()) {
    for (;;) {
      options.signal?.throwIfAborted()
      const candidates = tier.filter((s) => !asked.has(s.id)).sort((a, b) => rank(records, b) - rank(records, a))
      if (candidates.length === 0) break
      candidates.forEach((s) => asked.add(s.id))
      const winner = await raceForRoot(root, candidates, store, options, failed)
      if (winner === undefined) break
      // sources that lost the race but did not fail stay askable, as the next winner or a helper
      candidates.filter((s) => s !== winner.source && !winner.failed.has(s.id)).forEach((s) => asked.delete(s.id))
      const together = new MultiSourceSession(store, failed)
      together.add(winner.source, winner.session, winner.delivered)
      const helping = new AbortController()
      const size = await declaredSize(store, root)
      if (size >= TOGETHER_FROM_BYTES) {
        // tier by tier, the healthiest of each first
        const helpers = tiers
          .slice(t)
          .flatMap((later) => later.filter((s) => !asked.has(s.id)).sort((a, b) => rank(records, b) - rank(records, a)))
          .slice(0, HELPERS)
        for (const [i, helper] of helpers.entries()) {
          asked.add(helper.id)
          // the winner works from the file's start; a stream takes up an equal part further on
          const fromByte = Math.floor((size * (i + 1)) / (helpers.length + 1))
          together.join(helper, probe(helper, root, fromByte, AbortSignal.any([helping.signal, ...signalOf(options)])))
        }
      }
      try {
        const progress = await fetchDag(together, store, root, { ...options, window: () => together.window() })
        const shares = together.shares().map((s) => {
          records.succeeded(s.source, s.bytes, s.busyMs, s.firstBlockMs)
          note({ source: describeSource(s.source), outcome: 'delivered' })
          return { source: describeSource(s.source), bytes: s.bytes }
        })
        const most = shares.reduce((a, b) => (b.bytes > a.bytes ? b : a))
        return { source: most.source, shares, progress, attempts, ms: Date.now() - started }
      } catch (err) {
        if (options.signal?.aborted === true || isTerminal(err)) throw err
        // a source's failure was recorded as it happened; anything else is this fetch's own
        if (!(err instanceof SourcesExhaustedError)) throw err
      } finally {
        helping.abort()
        // the fetch is over once its blocks are stored: a peer's stream may take a while to close
        // (it still sends what was asked of it before a helper answered), and the person need not wait
        void together.close()
      }
    }
  }
  throw new NoSourceError(attempts)
}

/** A helper proves it holds the DAG by sending its root, checked against the CID. */
async function probe(
  source: ContentSource,
  root: CID,
  fromByte: number,
  signal: AbortSignal,
): Promise<{ session: BlockSession; ms: number }> {
  const session = await source.open(root, signal, { fromByte })
  // the root's time alone says how fast the source is; opening it (loading Helia, say) does not
  const began = Date.now()
  try {
    const bytes = await session.get(root, { signal })
    // a session that keeps blocks in the verifying store has checked this one already
    if (session.stores !== true) await verifyBlock(root, bytes)
    return { session, ms: Date.now() - began }
  } catch (err) {
    await session.close().catch(logFailure(log, 'closing a session'))
    throw err
  }
}

async function declaredSize(store: BlockStore, root: CID): Promise<number> {
  return declaredFileSize(root, await store.get(root))
}

function signalOf(options: { signal?: AbortSignal }): AbortSignal[] {
  return options.signal === undefined ? [] : [options.signal]
}

/** The first source of the tier to deliver a verified root; the others are aborted. */
async function raceForRoot(
  root: CID,
  sources: ContentSource[],
  store: BlockStore,
  options: RetrieveOptions,
  failed: (source: ContentSource, err: unknown) => void,
): Promise<{ source: ContentSource; session: BlockSession; delivered: { bytes: number; ms: number }; failed: Set<string> } | undefined> {
  // each source its own signal, so aborting the losers leaves the winner's session alive
  const controllers = sources.map(() => new AbortController())
  const failedIds = new Set<string>()
  let decided = false
  const began = Date.now()
  const tries = sources.map(async (source, i) => {
    const signal = AbortSignal.any([(controllers[i] as AbortController).signal, ...signalOf(options)])
    let session: BlockSession | undefined
    try {
      session = await source.open(root, signal)
      const bytes = await session.get(root, { signal })
      // verified here (a session that keeps blocks itself has done so): a lying source loses the race and is recorded
      if (session.stores !== true) await store.put(root, bytes, { signal })
      return { source, session, index: i, delivered: { bytes: bytes.byteLength, ms: Date.now() - began } }
    } catch (err) {
      // closing a session that already failed can only fail again: nothing more to learn
      await session?.close().catch(logFailure(log, 'closing a session'))
      if (!decided) {
        failedIds.add(source.id)
        failed(source, err)
      }
      throw err
    }
  })
  try {
    const winner = await Promise.any(tries)
    decided = true
    controllers.forEach((c, i) => i !== winner.index && c.abort())
    // a loser that answered after the winner is closed; the winner goes on
    void Promise.allSettled(tries).then((results) => {
      for (const r of results)
        if (r.status === 'fulfilled' && r.value !== winner) void r.value.session.close().catch(logFailure(log, 'closing a session'))
    })
    return { source: winner.source, session: winner.session, delivered: winner.delivered, failed: failedIds }
  } catch {
    // every source of the tier failed, each one recorded above
    return undefined
  }
}

/** The whole DAG from the local store alone, or undefined when a block is missing. */
async function completeLocally(root: CID, store: BlockStore, options: RetrieveOptions): Promise<FetchProgress | undefined> {
  const missing: BlockSession = {
    get: async () => await Promise.reject(new Error('not held')),
    close: async () => undefined,
  }
  try {
    return await fetchDag(missing, store, root, { ...options, window: 1 })
  } catch (err) {
    if (isTerminal(err)) throw err
    return undefined
  }
}

/** The healthier first (PROTOCOL.md, "Health score"), a source that lied last; the faster breaks a tie. */
function rank(records: SourceRecords, source: ContentSource): number {
  const r = records.get(source.id)
  if (r === undefined) return 0.5 * 2 ** 40
  if (r.badBytes > 0) return -1
  return r.health * 2 ** 40 + Math.min(r.medianBytesPerSecond ?? 0, 2 ** 39)
}

function describeSource(s: { id: string; label: string; kind: SourceKind }) {
  return { id: s.id, label: s.label, kind: s.kind }
}

function isBadBytes(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CidMismatchError' || err.name === 'UnexpectedBlockError')
}

/** Errors no other source can cure: the file is over the limit, the store is full, or the caller gave up. */
function isTerminal(err: unknown): boolean {
  return err instanceof Error && (err.name === 'FileTooLargeError' || err.name === 'StorageFullError' || err.name === 'AbortError')
}
