import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'
import { fetchDag, type FetchProgress } from './fetch-dag.ts'
import type { SourceKind, SourceRecords } from './source-records.ts'

/** A place content can be asked of: a peer, the relay's gateway, a public gateway. */
export interface ContentSource {
  id: string
  /** For people: a name, "the relay", a gateway's host. */
  label: string
  kind: SourceKind
  /** Opens a session for one DAG; throws when the source cannot be reached. */
  open(root: CID, signal: AbortSignal): Promise<BlockSession>
}

/** One source tried for one retrieval, and how it went. */
export interface Attempt {
  source: { id: string; label: string; kind: SourceKind }
  outcome: 'delivered' | 'failed' | 'bad-bytes' | 'aborted'
  reason?: string
}

export interface Retrieval {
  /** Where the bytes came from (the local store when everything was already here). */
  source: { id: string; label: string; kind: SourceKind }
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
        : `No source delivered it: ${attempts.map((a) => `${a.source.label}: ${a.reason ?? a.outcome}`).join('; ')}.`,
    )
    this.name = 'NoSourceError'
    this.attempts = attempts
  }
}

const LOCAL = { id: 'local', label: 'this browser', kind: 'local' as const }

/**
 * The one retrieval chain: the local store, then each tier of sources in
 * turn. Sources within a tier are raced for the root block, the first
 * verified answer wins and the others are aborted; the winner then serves
 * the rest of the DAG. Every block passes the verifying store, whatever its
 * source; a source that fails or sends bad bytes is recorded and the next one
 * resumes from the blocks already held.
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
  const local = await completeLocally(root, store, options)
  if (local !== undefined) return { source: LOCAL, progress: local, attempts, ms: Date.now() - started }
  for (const tier of tiers) {
    let remaining = [...tier].sort((a, b) => rank(records, b) - rank(records, a))
    while (remaining.length > 0) {
      options.signal?.throwIfAborted()
      const failedNow = new Set<string>()
      const winner = await raceForRoot(root, remaining, store, options, (attempt) => {
        failedNow.add(attempt.source.id)
        note(attempt)
        records.failed(attempt.source, attempt.reason ?? attempt.outcome, attempt.outcome === 'bad-bytes')
      })
      if (winner === undefined) break
      // a source is asked once per retrieval: whoever failed or won is not raced again
      remaining = remaining.filter((s) => s.id !== winner.source.id && !failedNow.has(s.id))
      const began = Date.now()
      try {
        const progress = await fetchDag(winner.session, store, root, options)
        records.succeeded(winner.source, progress.bytes, Date.now() - began)
        note({ source: describeSource(winner.source), outcome: 'delivered' })
        return { source: describeSource(winner.source), progress, attempts, ms: Date.now() - started }
      } catch (err) {
        if (options.signal?.aborted === true) throw err
        const badBytes = isBadBytes(err)
        const reason = options.describe(err)
        records.failed(winner.source, reason, badBytes)
        note({ source: describeSource(winner.source), outcome: badBytes ? 'bad-bytes' : 'failed', reason })
        // some of the DAG may be here now: the next source resumes from it
        if (isTerminal(err)) throw err
      } finally {
        await winner.session.close().catch(() => undefined)
      }
    }
  }
  throw new NoSourceError(attempts)
}

/** The first source of the tier to deliver a verified root; the others are aborted. */
async function raceForRoot(
  root: CID,
  sources: ContentSource[],
  store: BlockStore,
  options: RetrieveOptions,
  failed: (attempt: Attempt) => void,
): Promise<{ source: ContentSource; session: BlockSession } | undefined> {
  // each source its own signal, so aborting the losers leaves the winner's session alive
  const controllers = sources.map(() => new AbortController())
  const signals = controllers.map((c) => AbortSignal.any([c.signal, ...(options.signal === undefined ? [] : [options.signal])]))
  let decided = false
  const tries = sources.map(async (source, i) => {
    const signal = signals[i] as AbortSignal
    let session: BlockSession | undefined
    try {
      session = await source.open(root, signal)
      const bytes = await session.get(root, { signal })
      // verified here: a lying source loses the race and is recorded
      await store.put(root, bytes, { signal })
      return { source, session, index: i }
    } catch (err) {
      // closing a session that already failed can only fail again: nothing more to learn
      await session?.close().catch(() => undefined)
      if (!decided)
        failed({ source: describeSource(source), outcome: isBadBytes(err) ? 'bad-bytes' : 'failed', reason: options.describe(err) })
      throw err
    }
  })
  try {
    const winner = await Promise.any(tries)
    decided = true
    controllers.forEach((c, i) => i !== winner.index && c.abort())
    // a loser that answered after the winner is closed; the winner goes on
    void Promise.allSettled(tries).then((results) => {
      for (const r of results) if (r.status === 'fulfilled' && r.value !== winner) void r.value.session.close().catch(() => undefined)
    })
    return { source: winner.source, session: winner.session }
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

function rank(records: SourceRecords, source: ContentSource): number {
  const r = records.get(source.id)
  if (r === undefined) return 0
  // a source that lied is tried last; otherwise the faster and more reliable first
  return r.badBytes > 0 ? -1e12 : ((r.medianBytesPerSecond ?? 0) * (r.successes + 1)) / (r.successes + r.failures + 1)
}

function describeSource(s: { id: string; label: string; kind: SourceKind }) {
  return { id: s.id, label: s.label, kind: s.kind }
}

function isBadBytes(err: unknown): boolean {
  return err instanceof Error && (err.name === 'CidMismatchError' || err.name === 'UnexpectedBlockError')
}

/** Errors no other source can cure: the file is over the limit, or the caller gave up. */
function isTerminal(err: unknown): boolean {
  return err instanceof Error && (err.name === 'FileTooLargeError' || err.name === 'AbortError')
}
