import type { Privacy } from '../trust/privacy.ts'
import type { SpaceRole } from './space-id.ts'

/** What this browser knows of one member's copy, for the "in sync / N waiting" line. */
export interface MemberSyncState {
  /** The member's state vector as it last told us (client ID → clock). */
  vector: Record<string, number>
  /** When it last told us. */
  at: number
  /** Its last acknowledgement, an encoded Yjs snapshot: what it holds, deletions included. */
  snapshot?: Uint8Array
}

/** One space as this browser keeps it; the content itself is the space's Yjs document. */
export interface SpaceRecord {
  id: string
  name: string
  /** The owner's DID: it signs invitations and membership grants. */
  owner: string
  /** My part in it. */
  role: 'owner' | SpaceRole
  /** Who else the owner lets in without an invitation, by the space link (the owner's trust applies). */
  privacy: Privacy
  /** What people let in by `privacy` may do (owner only); read when absent. */
  linkRole?: SpaceRole
  /** DIDs the owner made members because `privacy` admitted them: they stay members only while it does. */
  linkMembers?: string[]
  createdAt: number
  /** How I reach the owner until the space itself tells me more. */
  ownerAddress?: string
  /** Invitation ID → the DID that used it (owner only): each admits one DID. */
  usedInvitations: Record<string, string>
  sync: Record<string, MemberSyncState>
  /**
   * Files this browser put into the space or fetched through it: the only ones
   * it hands to the space's readers. Any writer can name any CID in the space;
   * that must not make me serve a private file I hold for other reasons.
   */
  servedFiles?: string[]
  /** The newest membership grant this browser has verified per DID (DID → JWS): what the space's map says cannot take these back. */
  grants?: Record<string, string>
}

export interface SpaceStore {
  list(): Promise<SpaceRecord[]>
  get(id: string): Promise<SpaceRecord | undefined>
  put(record: SpaceRecord): Promise<void>
  delete(id: string): Promise<void>
}
