import type { UnixFS } from '@helia/unixfs'
import type { CID } from 'multiformats/cid'
import { asUnixfsBlockstore, type AbortOptions, type BlockStore } from './blocks.ts'
import { CHUNK_BYTES, MAX_CHILDREN_PER_NODE } from './limits.ts'
import { DAG_PB_CODE } from './cid.ts'
import { readBlock } from './dag.ts'

/**
 * UnixFS over a store. The library (importer and exporter) is loaded when a
 * file is first added or read: a browser's first screen does without it.
 */
export async function unixfsOf(store: BlockStore): Promise<UnixFS> {
  const { unixfs } = await import('@helia/unixfs')
  return unixfs({ blockstore: asUnixfsBlockstore(store) })
}

/**
 * The importer settings of `ipfs add --cid-version=1`, spelled out so that a
 * change of library defaults cannot change our CIDs.
 */
async function kuboCompatibleSettings() {
  const [{ fixedSize }, { balanced }] = await Promise.all([import('ipfs-unixfs-importer/chunker'), import('ipfs-unixfs-importer/layout')])
  return {
    cidVersion: 1 as const,
    rawLeaves: true,
    reduceSingleLeafToSelf: true,
    chunker: fixedSize({ chunkSize: CHUNK_BYTES }),
    layout: balanced({ maxChildrenPerNode: MAX_CHILDREN_PER_NODE }),
  }
}

export interface ImportOptions extends AbortOptions {
  /** Called with the total number of bytes read so far. */
  onBytes?: (bytes: number) => void
}

/** Imports a byte stream into the store as a UnixFS file and returns its root CID. */
export async function importBytes(
  store: BlockStore,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
  options: ImportOptions = {},
): Promise<{ cid: CID; size: number }> {
  let size = 0
  const counted = async function* () {
    for await (const chunk of source) {
      options.signal?.throwIfAborted()
      size += chunk.byteLength
      options.onBytes?.(size)
      yield chunk
    }
  }
  const fs = await unixfsOf(store)
  const cid = await fs.addByteStream(counted(), { ...(await kuboCompatibleSettings()), signal: options.signal })
  return { cid, size }
}

export interface ReadOptions extends AbortOptions {
  /** Read at most this many bytes from the start. */
  length?: number
}

/** Streams a stored file's bytes, every block verified on the way out. */
export async function* readFile(store: BlockStore, cid: CID, options: ReadOptions = {}): AsyncGenerator<Uint8Array> {
  const fs = await unixfsOf(store)
  yield* fs.cat(cid, { signal: options.signal, offline: true, length: options.length })
}

/** Every block CID of a stored file DAG, reading only its inner (dag-pb) nodes. */
export async function dagBlockIds(store: BlockStore, root: CID, options: AbortOptions = {}): Promise<Set<string>> {
  const seen = new Set<string>()
  const queue = [root]
  for (let cid = queue.pop(); cid !== undefined; cid = queue.pop()) {
    if (seen.has(cid.toString())) continue
    seen.add(cid.toString())
    if (cid.code !== DAG_PB_CODE || !(await store.has(cid, options))) continue
    queue.push(...readBlock(cid, await store.get(cid, options)).links)
  }
  return seen
}
