import type { AbortOptions } from '../cas/blocks.ts'
import type { SignedEntry } from './entry.ts'

/** Verified entries kept locally. Only `verifyEntry`'s output goes in. */
export interface EntryIndex {
  put(entry: SignedEntry, options?: AbortOptions): Promise<void>
  get(cid: string, options?: AbortOptions): Promise<SignedEntry | undefined>
  /** Newest signature first. */
  list(options?: AbortOptions): Promise<SignedEntry[]>
}

export function newestSignedFirst(a: SignedEntry, b: SignedEntry): number {
  return b.entry.signedAt - a.entry.signedAt || a.cid.localeCompare(b.cid)
}
