import type { ConnectionPath } from '../net/connection-path.ts'
import type { Attempt, Retrieval } from '../fetch/retrieval.ts'

export type { ConnectionPath }

/** Where a transfer's bytes come from: a peer (by the path to it) or the relay's trustless gateway. */
export type TransferSource = ConnectionPath | 'gateway'

/** `waiting`: cut off by working offline; it goes on, in the same transfer, once the network is back. */
export type TransferState = 'connecting' | 'fetching' | 'waiting' | 'done' | 'failed'

/** A file on its way from another browser, as the UI shows it. */
export interface Transfer {
  id: string
  cid: string
  name: string
  peerId: string
  state: TransferState
  bytes: number
  total: number
  path: TransferSource | undefined
  /** Where the bytes came from, once they all have. */
  source: Attempt['source'] | undefined
  /** Every source that delivered part of it, and how many bytes. */
  shares: Retrieval['shares']
  /** Every source tried, in order, and how it went. */
  attempts: Attempt[]
  error: string | undefined
  startedAt: number
  /** When the direct link was ready (the same as startedAt when one already existed). */
  linkedAt: number | undefined
  /** When the first bytes of content were held. */
  firstByteAt: number | undefined
  finishedAt: number | undefined
}

/** A file being imported from the user's disk. */
export interface Import {
  id: string
  name: string
  bytes: number
  total: number
}
