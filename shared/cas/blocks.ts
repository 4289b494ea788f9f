import type { Blockstore } from 'interface-blockstore'
import type { CID } from 'multiformats/cid'
import { BlockNotFoundError, isQuotaExceeded, StorageFullError } from './errors.ts'
import { verifyBlock } from './cid.ts'
import { hasName } from '../errors.ts'

export interface AbortOptions {
  signal?: AbortSignal
}

/**
 * Content-addressed block storage. Every `put` and every `get` checks the
 * bytes against the CID, so a corrupt backend or a lying peer can never hand
 * out or keep a block under the wrong name.
 */
export interface BlockStore {
  has(cid: CID, options?: AbortOptions): Promise<boolean>
  /** Throws BlockNotFoundError when absent, CidMismatchError when corrupt. */
  get(cid: CID, options?: AbortOptions): Promise<Uint8Array>
  /** Throws CidMismatchError (and stores nothing) when the bytes do not match. */
  put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void>
  delete(cid: CID, options?: AbortOptions): Promise<void>
}

/** The slice of a Helia blockstore that backs a BlockStore. */
export type BlockBackend = Pick<Blockstore, 'has' | 'get' | 'put' | 'delete'>

/** Verifies every block that passes through, in either direction. */
export class VerifiedBlockStore implements BlockStore {
  readonly #backend: BlockBackend

  constructor(backend: BlockBackend) {
    this.#backend = backend
  }

  async has(cid: CID, options?: AbortOptions): Promise<boolean> {
    return await this.#backend.has(cid, options)
  }

  async get(cid: CID, options?: AbortOptions): Promise<Uint8Array> {
    // one read, not a `has` and then a read: each is a transaction of its own in IndexedDB
    let bytes: Uint8Array
    try {
      bytes = await collect(this.#backend.get(cid, options))
    } catch (err) {
      // the blockstores' (interface-store) name for an absent key
      if (hasName(err, 'NotFoundError')) throw new BlockNotFoundError(cid.toString())
      throw err
    }
    await verifyBlock(cid, bytes)
    return bytes
  }

  async put(cid: CID, bytes: Uint8Array, options?: AbortOptions): Promise<void> {
    await verifyBlock(cid, bytes)
    try {
      await this.#backend.put(cid, ownBytes(bytes), options)
    } catch (err) {
      if (isQuotaExceeded(err)) throw new StorageFullError(undefined, undefined, { cause: err })
      throw err
    }
  }

  async delete(cid: CID, options?: AbortOptions): Promise<void> {
    await this.#backend.delete(cid, options)
  }
}

/**
 * A block's bytes in a buffer of their own. Blocks often arrive as views into
 * a larger buffer (a file stream's read, a wire message), and IndexedDB's
 * structured clone, like a memory store's reference, would keep all of it.
 */
function ownBytes(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice()
}

async function collect(chunks: Iterable<Uint8Array> | AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const parts: Uint8Array[] = []
  let length = 0
  for await (const part of chunks) {
    parts.push(part)
    length += part.byteLength
  }
  if (parts.length === 1 && parts[0] !== undefined) return parts[0]
  const out = new Uint8Array(length)
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}

/**
 * Presents a BlockStore as the blockstore that @helia/unixfs expects, so the
 * importer and exporter go through the same verification.
 */
export function asUnixfsBlockstore(store: BlockStore): Pick<Blockstore, 'get' | 'put' | 'has'> {
  return {
    has: async (cid, options) => await store.has(cid, options),
    get: async function* (cid, options) {
      yield await store.get(cid, options)
    },
    put: async (cid, bytes, options) => {
      const block = bytes instanceof Uint8Array ? bytes : await collect(bytes)
      await store.put(cid, block, options)
      return cid
    },
  }
}

/** Helia asked this store to list its blocks, which it does not offer (Helia asks only for garbage collection). */
export class ListingNotOfferedError extends Error {
  static override name = 'ListingNotOfferedError'
  constructor() {
    super('This block store does not list its blocks.')
    this.name = 'ListingNotOfferedError'
  }
}

/**
 * Presents a BlockStore as a Helia node's blockstore, so what Helia fetches
 * is kept in the same verified store as everything else.
 */
export function asHeliaBlockstore(store: BlockStore): Blockstore {
  const base = asUnixfsBlockstore(store)
  return {
    ...base,
    delete: async (cid, options) => {
      await store.delete(cid, options)
    },
    putMany: async function* (pairs, options) {
      for await (const { cid, bytes } of pairs) yield await base.put(cid, bytes, options)
    },
    getMany: async function* (cids, options) {
      for await (const cid of cids) yield { cid, bytes: base.get(cid, options) }
    },
    deleteMany: async function* (cids, options) {
      for await (const cid of cids) {
        await store.delete(cid, options)
        yield cid
      }
    },
    // eslint-disable-next-line require-yield -- a generator, as the interface asks, that refuses at once
    getAll: async function* () {
      throw new ListingNotOfferedError()
    },
  }
}
