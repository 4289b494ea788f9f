import type { ConnectionPath } from '../net/connection-path.ts'

export type { ConnectionPath }

export type TransferState = 'connecting' | 'fetching' | 'done' | 'failed'

/** A file on its way from another browser, as the UI shows it. */
export interface Transfer {
  id: string
  cid: string
  name: string
  peerId: string
  state: TransferState
  bytes: number
  total: number
  path: ConnectionPath | undefined
  error: string | undefined
  startedAt: number
  /** When the direct link was ready (the same as startedAt when one already existed). */
  linkedAt: number | undefined
  finishedAt: number | undefined
}

/** A file being imported from the user's disk. */
export interface Import {
  id: string
  name: string
  bytes: number
  total: number
}
