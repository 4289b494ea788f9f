import type { CID } from 'multiformats/cid'
import * as dagPb from '@ipld/dag-pb'
import { UnixFS } from 'ipfs-unixfs'
import type { BlockStore } from './blocks.ts'
import { unixfsOf } from './files.ts'
import { DAG_PB_CODE } from './cid.ts'
import { declaredFileSize } from './dag.ts'

/** The MIME type the library gives a UnixFS directory. */
export const DIRECTORY_TYPE = 'inode/directory'

export interface DirectoryEntry {
  name: string
  cid: string
  /** Bytes of the entry's content, as its node declares. */
  size: number
  type: 'file' | 'directory'
}

/** Whether a stored root block is a UnixFS directory (as `ipfs add -r` makes). */
export async function isDirectory(store: BlockStore, cid: CID): Promise<boolean> {
  if (cid.code !== DAG_PB_CODE) return false
  const data = dagPb.decode(await store.get(cid)).Data
  if (data === undefined) return false
  const type = UnixFS.unmarshal(data).type
  return type === 'directory' || type === 'hamt-sharded-directory'
}

/** A stored directory's entries, sharded ones included, read from the local store only. */
export async function listDirectory(store: BlockStore, cid: CID): Promise<DirectoryEntry[]> {
  const fs = await unixfsOf(store)
  const entries: DirectoryEntry[] = []
  for await (const entry of fs.ls(cid, { offline: true })) {
    // the link's size counts the DAG's own nodes too: the node itself says what it holds
    const directory = await isDirectory(store, entry.cid)
    const size = directory ? 0 : declaredFileSize(entry.cid, await store.get(entry.cid))
    entries.push({ name: entry.name, cid: entry.cid.toString(), size, type: directory ? 'directory' : 'file' })
  }
  return entries.sort((a, b) => (a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'directory' ? -1 : 1))
}
