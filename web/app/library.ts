import { blobOf } from '../../shared/blobs.ts'
import type { CID } from 'multiformats/cid'
import type { AbortOptions, BlockStore } from '../../shared/cas/blocks.ts'
import { isQuotaExceeded, StorageFullError } from '../../shared/cas/errors.ts'
import { parseContentId, sha256HexOf } from '../../shared/cas/cid.ts'
import { dagBlockIds, importBytes, readFile } from '../../shared/cas/files.ts'
import type { LibraryIndex, LibraryRecord, PinRef } from '../../shared/cas/library.ts'

export type { PinRef }
import { DEFAULT_PRIVACY, type Privacy } from '../../shared/trust/privacy.ts'
import { checkLevel } from '../../shared/trust/levels.ts'
import { parseDid } from '../../shared/identity/did-key.ts'
import { listDirectory } from '../../shared/cas/directory.ts'
import { hexPreview, previewKind, PREVIEW_HEX_BYTES, PREVIEW_TEXT_BYTES, textPreview, type Preview } from './preview.ts'

/** A file as the user offers it: a DOM File has this shape. */
export interface FileInput {
  name: string
  type: string
  size: number
  stream(): ReadableStream<Uint8Array>
}

export interface FileView extends LibraryRecord {
  /** SHA-256 hex of single-block files, the form earlier CAS/DISOT tools used. */
  sha256Hex: string | undefined
  privacy: Privacy
}

export function toFileView(record: LibraryRecord): FileView {
  return { ...record, privacy: record.privacy ?? DEFAULT_PRIVACY, sha256Hex: sha256HexOf(parseContentId(record.cid)) }
}

/** What the browser says of this site's storage (navigator.storage in the app). */
export interface StorageRoom {
  /** Bytes this site may still use, or undefined when the browser does not say. */
  available(): Promise<number | undefined>
  /** Asks the browser not to clear this site's data when space runs low; true when granted. */
  persist(): Promise<boolean>
}

/** Room a file takes beyond its bytes: the DAG's inner nodes and the stores' own keys, generously. */
const overheadOf = (size: number): number => Math.ceil(size * 0.02) + 1024 * 1024

/** The library's use cases over the block store and the library index. */
export class Library {
  readonly #blocks: BlockStore
  readonly #index: LibraryIndex
  readonly #storage: StorageRoom | undefined

  constructor(components: { blockStore: BlockStore; index: LibraryIndex; storage?: StorageRoom }) {
    this.#blocks = components.blockStore
    this.#index = components.index
    this.#storage = components.storage
  }

  /** Asks the browser to keep the library (not evict it under storage pressure); false when refused or unknown. */
  async keep(): Promise<boolean> {
    return (await this.#storage?.persist()) ?? false
  }

  async list(options?: AbortOptions): Promise<FileView[]> {
    return (await this.#index.list(options)).map(toFileView)
  }

  /** Finds a file by CID or by the SHA-256 hex of its bytes (single-block files). */
  async find(id: string, options?: AbortOptions): Promise<FileView | undefined> {
    const record = await this.#index.get(parseContentId(id).toString(), options)
    return record === undefined ? undefined : toFileView(record)
  }

  /**
   * Adds a file: checks first that the browser has room for it, and on any
   * failure takes out the blocks this import wrote, so nothing is half-stored.
   */
  async add(file: FileInput, options: AbortOptions & { onBytes?: (bytes: number) => void } = {}): Promise<FileView> {
    const needed = file.size + overheadOf(file.size)
    const available = await this.#storage?.available()
    if (available !== undefined && needed > available) throw new StorageFullError(needed, available)
    const written: CID[] = []
    const recording: BlockStore = {
      has: async (cid, o) => await this.#blocks.has(cid, o),
      get: async (cid, o) => await this.#blocks.get(cid, o),
      delete: async (cid, o) => await this.#blocks.delete(cid, o),
      put: async (cid, bytes, o) => {
        // only blocks that were not here before are this import's to take back
        if (!(await this.#blocks.has(cid, o))) written.push(cid)
        await this.#blocks.put(cid, bytes, o)
      },
    }
    try {
      const { cid, size } = await importBytes(recording, chunksOf(file.stream()), options)
      const existing = await this.#index.get(cid.toString(), options)
      const record: LibraryRecord = existing ?? { cid: cid.toString(), name: file.name, type: file.type, size, addedAt: Date.now() }
      await this.#index.put(record, options)
      return toFileView(record)
    } catch (err) {
      for (const cid of written) await this.#blocks.delete(cid)
      if (isQuotaExceeded(err) && !(err instanceof StorageFullError)) throw new StorageFullError(needed, available, { cause: err })
      throw err
    }
  }

  /** Changes who may receive a file. */
  async setPrivacy(id: string, privacy: Privacy, options?: AbortOptions): Promise<void> {
    const record = await this.#require(id, options)
    if (privacy.class === 'restricted') privacy = { class: 'restricted', dids: privacy.dids.map((d) => parseDid(d.trim())) }
    if (privacy.class === 'private') privacy = { class: 'private', minLevel: checkLevel(privacy.minLevel) }
    await this.#index.put({ ...record, privacy }, options)
  }

  /** Records where a file is pinned, as the pinning service last said. */
  async setPins(id: string, pins: PinRef[], options?: AbortOptions): Promise<void> {
    const record = await this.#require(id, options)
    await this.#index.put({ ...record, pins }, options)
  }

  /**
   * Keeps a file that is inside a directory held here: its blocks came with
   * the directory, so only its record is new.
   */
  async addFromDirectory(entry: { cid: string; name: string; size: number }, options?: AbortOptions): Promise<void> {
    const cid = parseContentId(entry.cid)
    if (!(await this.#blocks.has(cid, options))) throw new FileNotInLibraryError(entry.cid)
    const existing = await this.#index.get(cid.toString(), options)
    if (existing === undefined)
      await this.#index.put(
        { cid: cid.toString(), name: entry.name, type: typeByName(entry.name), size: entry.size, addedAt: Date.now() },
        options,
      )
  }

  /** Records a file whose blocks have all arrived and been verified. */
  async addReceived(record: LibraryRecord, options?: AbortOptions): Promise<void> {
    await this.#index.put(record, options)
  }

  /** Removes a file and every block no other file still uses. */
  async remove(id: string, options?: AbortOptions): Promise<void> {
    const root = parseContentId(id)
    const others = (await this.#index.list(options)).filter((r) => r.cid !== root.toString())
    await this.#index.delete(root.toString(), options)
    const live = new Set<string>()
    for (const other of others) for (const cid of await dagBlockIds(this.#blocks, parseContentId(other.cid), options)) live.add(cid)
    for (const cid of await dagBlockIds(this.#blocks, root, options)) {
      if (!live.has(cid)) await this.#blocks.delete(parseContentId(cid), options)
    }
  }

  /** The whole file as a Blob, handed to the browser's blob storage a few MiB at a time. */
  async blob(id: string, options?: AbortOptions): Promise<Blob> {
    const record = await this.#require(id, options)
    return await blobOf(readFile(this.#blocks, parseContentId(record.cid), options), record.type || 'application/octet-stream')
  }

  async preview(id: string, options?: AbortOptions): Promise<Preview> {
    const record = await this.#require(id, options)
    const kind = previewKind(record.type, record.name)
    if (kind === 'directory') return { kind, entries: await listDirectory(this.#blocks, parseContentId(record.cid)) }
    if (kind === 'image') return { kind, blob: await this.blob(id, options) }
    const limit = kind === 'text' ? PREVIEW_TEXT_BYTES : PREVIEW_HEX_BYTES
    const head = await this.#head(parseContentId(record.cid), limit, options)
    return kind === 'text' ? textPreview(head, record.size, record.type) : hexPreview(head, record.size)
  }

  async #head(cid: CID, length: number, options?: AbortOptions): Promise<Uint8Array> {
    const out = new Uint8Array(length)
    let filled = 0
    for await (const chunk of readFile(this.#blocks, cid, { ...options, length })) {
      out.set(chunk.subarray(0, length - filled), filled)
      filled += Math.min(chunk.byteLength, length - filled)
    }
    return out.subarray(0, filled)
  }

  async #require(id: string, options?: AbortOptions): Promise<LibraryRecord> {
    const record = await this.#index.get(parseContentId(id).toString(), options)
    if (record === undefined) throw new FileNotInLibraryError(id)
    return record
  }
}

export class FileNotInLibraryError extends Error {
  static override name = 'FileNotInLibraryError'
  constructor(id: string) {
    super(`No file ${id} in the library`)
    this.name = 'FileNotInLibraryError'
  }
}

async function* chunksOf(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  const reader = stream.getReader()
  try {
    for (;;) {
      const { done, value } = await reader.read()
      if (done) return
      yield value
    }
  } finally {
    reader.releaseLock()
  }
}

const TYPES: Record<string, string> = {
  txt: 'text/plain',
  md: 'text/markdown',
  json: 'application/json',
  html: 'text/html',
  css: 'text/css',
  js: 'text/javascript',
  png: 'image/png',
  jpg: 'image/jpeg',
  jpeg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
}

/** A MIME type from a file name's extension ('' when unknown): directories carry names, not types. */
function typeByName(name: string): string {
  return TYPES[name.split('.').pop()?.toLowerCase() ?? ''] ?? ''
}
