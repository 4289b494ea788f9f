import type { AbortOptions } from './blocks.ts'
import type { Privacy } from '../trust/privacy.ts'

/** What the library knows of a file besides its blocks. */
export interface LibraryRecord {
  /** Root CID, base32 CIDv1. */
  cid: string
  name: string
  /** MIME type, or '' when unknown. */
  type: string
  size: number
  /** Milliseconds since the epoch. */
  addedAt: number
  /** Who may receive it; absent means the default (private, trusted and above). */
  privacy?: Privacy
  /** Where it is pinned (public files only), as the pinning service last said. */
  pins?: PinRef[]
}

/** A pin of this file on a pinning service (IPFS Pinning Service API). */
export interface PinRef {
  /** The service's base URL. */
  service: string
  requestid: string
  status: 'queued' | 'pinning' | 'pinned' | 'failed'
  /** Why it failed, in words. */
  detail?: string
}

export interface LibraryIndex {
  put(record: LibraryRecord, options?: AbortOptions): Promise<void>
  get(cid: string, options?: AbortOptions): Promise<LibraryRecord | undefined>
  /** Newest first. */
  list(options?: AbortOptions): Promise<LibraryRecord[]>
  delete(cid: string, options?: AbortOptions): Promise<void>
}

export function newestFirst(a: LibraryRecord, b: LibraryRecord): number {
  return b.addedAt - a.addedAt || a.name.localeCompare(b.name)
}
