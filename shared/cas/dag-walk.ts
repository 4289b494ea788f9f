import type { CID } from 'multiformats/cid'
import type { AbortOptions, BlockStore } from './blocks.ts'
import { DAG_PB_CODE } from './cid.ts'
import { readBlock } from './dag.ts'
import { linksInRange, type ByteRange } from './byte-range.ts'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'

/** How much of a DAG a CAR carries (the trustless gateway's `dag-scope`). */
export type DagScope = 'block' | 'entity' | 'all'

/**
 * A DAG's blocks in depth-first order (children left to right), each read
 * and verified from the store. A missing block ends the walk with
 * BlockNotFoundError. `entity` stops at a UnixFS directory's own node; for
 * files it is the whole file, as `all`, or with a range only the blocks that
 * lead to its bytes (`entity-bytes`).
 */
export async function* walkDag(
  store: BlockStore,
  root: CID,
  scope: DagScope = 'all',
  options: AbortOptions & { range?: ByteRange } = {},
): AsyncGenerator<{ cid: CID; bytes: Uint8Array }> {
  const stack = [{ cid: root, start: 0 }]
  const seen = new Set<string>()
  for (let next = stack.pop(); next !== undefined; next = stack.pop()) {
    const { cid, start } = next
    const key = cid.toString()
    if (seen.has(key)) continue
    seen.add(key)
    const bytes = await store.get(cid, options)
    yield { cid, bytes }
    if (scope === 'block' || (scope === 'entity' && isDirectory(cid, bytes))) continue
    const links =
      scope === 'entity' && options.range !== undefined
        ? linksInRange(cid, bytes, start, options.range)
        : readBlock(cid, bytes).links.map((link) => ({ cid: link, start }))
    stack.push(...links.reverse())
  }
}

function isDirectory(cid: CID, bytes: Uint8Array): boolean {
  if (cid.code !== DAG_PB_CODE) return false
  const data = dagPb.decode(bytes).Data
  if (data === undefined) return false
  const type = UnixFS.unmarshal(data).type
  return type === 'directory' || type === 'hamt-sharded-directory'
}
