import type { AbortOptions } from '../cas/blocks.ts'

/** My own statement about a DID. Trust is symmetric in nothing: this list is mine alone. */
export interface TrustRecord {
  did: string
  /** 0 (blocked) to 100 (full). */
  level: number
  label: string
  note: string
  updatedAt: number
}

export interface TrustList {
  put(record: TrustRecord, options?: AbortOptions): Promise<void>
  get(did: string, options?: AbortOptions): Promise<TrustRecord | undefined>
  list(options?: AbortOptions): Promise<TrustRecord[]>
  delete(did: string, options?: AbortOptions): Promise<void>
}
