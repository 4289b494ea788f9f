import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { CID } from 'multiformats/cid'
import type { BlockStore } from './blocks.ts'
import { DAG_PB_CODE } from './cid.ts'

/** What one verified block contributes to a file: its children and its bytes of content. */
export interface BlockContents {
  links: CID[]
  contentBytes: number
}

/** Reads a verified UnixFS block: raw leaves are all content, dag-pb nodes list children. */
export function readBlock(cid: CID, bytes: Uint8Array): BlockContents {
  if (cid.code !== DAG_PB_CODE) return { links: [], contentBytes: bytes.byteLength }
  const node = dagPb.decode(bytes)
  const contentBytes = node.Data === undefined ? 0 : (UnixFS.unmarshal(node.Data).data?.byteLength ?? 0)
  return { links: node.Links.map((link) => link.Hash), contentBytes }
}

/** The file size a root block declares (UnixFS fileSize), or its own length for a raw block. */
export function declaredFileSize(cid: CID, bytes: Uint8Array): number {
  if (cid.code !== DAG_PB_CODE) return bytes.byteLength
  const node = dagPb.decode(bytes)
  return node.Data === undefined ? 0 : Number(UnixFS.unmarshal(node.Data).fileSize())
}

/**
 * Bytes of file content held under `root` among the blocks kept so far. A
 * node's UnixFS block sizes give each raw leaf's bytes, so leaves are only
 * looked up, never read; a node not kept counts nothing below it (a fetch
 * keeps a node before its children).
 */
export async function heldContentBytes(store: BlockStore, root: CID): Promise<number> {
  if (!(await store.has(root))) return 0
  const bytes = await store.get(root)
  if (root.code !== DAG_PB_CODE) return bytes.byteLength
  const node = dagPb.decode(bytes)
  const unixfs = node.Data === undefined ? undefined : UnixFS.unmarshal(node.Data)
  // a node's children are looked up at once, not one after another (a large file has thousands of leaves)
  const children = await Promise.all(
    node.Links.map(async (link, i) => {
      if (link.Hash.code === DAG_PB_CODE) return await heldContentBytes(store, link.Hash)
      return (await store.has(link.Hash)) ? Number(unixfs?.blockSizes[i] ?? link.Tsize ?? 0) : 0
    }),
  )
  return children.reduce((sum, n) => sum + n, unixfs?.data?.byteLength ?? 0)
}
