import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { declaredFileSize, readBlock } from '../../shared/cas/dag.ts'
import { WANT_WINDOW } from '../../shared/protocol/limits.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'
import { asError } from '../../shared/errors.ts'
import { FileTooLargeError } from '../../shared/cas/errors.ts'

export interface FetchProgress {
  /** Bytes of file content now held locally. */
  bytes: number
  /** The size the root declares (0 until the root arrives). */
  total: number
  blocks: number
}

export interface FetchDagOptions {
  signal?: AbortSignal
  onProgress?: (progress: FetchProgress) => void
  /** Requests kept in flight (asked again as blocks arrive, when it may change). */
  window?: number | (() => number)
  /** Stops with FileTooLargeError once the root declares, or the blocks carry, more content than this. */
  maxBytes?: number
}

/**
 * Fetches every block of a file DAG that is not stored yet, keeping `window`
 * requests in flight. Each block goes through the verifying store before its
 * links are followed, so nothing unverified is ever trusted or kept.
 */
export async function fetchDag(session: BlockSession, store: BlockStore, root: CID, options: FetchDagOptions = {}): Promise<FetchProgress> {
  const progress: FetchProgress = { bytes: 0, total: 0, blocks: 0 }
  const window = (): number => (typeof options.window === 'function' ? options.window() : (options.window ?? WANT_WINDOW))
  const queue: CID[] = [root]
  let active = 0

  const fetchOne = async (cid: CID): Promise<void> => {
    let bytes: Uint8Array
    if (await store.has(cid, options)) {
      bytes = await store.get(cid, options)
    } else {
      bytes = await session.get(cid, options)
      // through the verifying store, unless the session kept it there itself
      if (session.stores !== true) await store.put(cid, bytes, options)
    }
    if (cid.equals(root)) progress.total = declaredFileSize(cid, bytes)
    const { links, contentBytes } = readBlock(cid, bytes)
    progress.bytes += contentBytes
    const over = Math.max(progress.total, progress.bytes)
    if (options.maxBytes !== undefined && over > options.maxBytes) throw new FileTooLargeError(over, options.maxBytes)
    queue.push(...links)
    progress.blocks += 1
    options.onProgress?.({ ...progress })
  }

  await new Promise<void>((resolve, reject) => {
    let failed = false
    const pump = (): void => {
      if (failed) return
      while (active < window() && queue.length > 0) {
        const next = queue.shift() as CID
        active += 1
        fetchOne(next).then(
          () => {
            active -= 1
            if (queue.length === 0 && active === 0) resolve()
            else pump()
          },
          (err: unknown) => {
            failed = true
            reject(asError(err))
          },
        )
      }
    }
    pump()
  })
  return progress
}
