import * as Y from 'yjs'
import type { SpaceRecord } from '../../../shared/spaces/space-record.ts'
import type { Privacy } from '../../../shared/trust/privacy.ts'
import type { OpenSpace, PresenceState, SpaceFile } from './open-space.ts'
import type { EntryCheck } from './space-content.ts'

export type MemberSyncLabel = 'me' | 'in-sync' | 'catching-up' | 'sending' | 'waiting' | 'never-synced'

export interface MemberView {
  did: string
  name: string | undefined
  role: SpaceRecord['role']
  me: boolean
  online: boolean
  /** How the member syncs with me now, while online: over a direct connection or through a relay. */
  link: 'direct' | 'relayed' | undefined
  /**
   * Changes I hold that their last known copy lacks: items (characters, map
   * sets) and deleted characters. For a member online, counted once they
   * have waited past its acknowledgement (PendingShown).
   */
  pending: number
  /** When the member last said what it holds, in whole seconds as shown. */
  lastSyncedAt: number | undefined
  /** Changes the member holds that my copy still lacks (from what it last said it holds). */
  missing: number
  /** In sync (online, nothing either way), catching up (online, changes to receive), sending (online, pending), waiting (offline), never synced. */
  sync: MemberSyncLabel
}

export interface PresenceView {
  did: string
  name: string
  color: string
  /** The note they are in, if any. */
  note: string | undefined
  /** The line of that note their cursor is on, when it is known. */
  line: number | undefined
}

export interface SpaceFileView extends SpaceFile {
  cid: string
  /** Here, being fetched, held back for its size (until asked for), or not here yet. */
  state: 'here' | 'fetching' | 'too-large' | 'missing'
}

export interface SpaceEntryView {
  cid: string
  title: string | undefined
  /** Why it was refused, when it did not verify. */
  error: string | undefined
}

export interface SpaceView {
  id: string
  name: string
  owner: string
  role: SpaceRecord['role']
  privacy: Privacy
  /** What people let in by the privacy setting may do. */
  linkRole: 'read' | 'write'
  canWrite: boolean
  members: MemberView[]
  presence: PresenceView[]
  notes: Array<{ id: string; title: string }>
  files: SpaceFileView[]
  entries: SpaceEntryView[]
}

export interface ViewContext {
  me: string
  nameOf: (did: string) => string | undefined
  fetching: Set<string>
  entryChecks: Map<string, EntryCheck>
  online: boolean
  /** Space files known to be in my store. */
  local: Set<string>
  /** Space files held back for their size. */
  tooLarge: Map<string, number>
  /** The count of changes waiting for a member online to show now (PendingShown.shown). */
  pendingShown: (spaceId: string, did: string, pending: number, acknowledgedAt: number | undefined) => number
}

/** What the UI shows of one open space, computed from its document, replica and record. */
export function spaceView(space: OpenSpace, ctx: ViewContext): SpaceView {
  const { record } = space
  const roles = space.policy.members()
  const presence: PresenceView[] = []
  for (const [client, state] of space.replica.awareness.getStates()) {
    const p = state as Partial<PresenceState>
    if (p.user === undefined) continue
    if (client === space.doc.clientID) continue
    const line = p.note !== undefined && space.notes.has(p.note) ? cursorLine(space, p.note, p.cursor) : undefined
    presence.push({ did: p.user.did, name: p.user.name, color: p.user.color, note: p.note, line })
  }
  const members = space.memberDids().map((did): MemberView => {
    const me = did === ctx.me
    // one look at the member's links: whether it is online, and how
    const link = space.linkTo(did)
    const online = link !== undefined
    const acknowledgedAt = record.sync[did]?.at
    const waiting = me ? 0 : space.pendingFor(did)
    const pending = online ? ctx.pendingShown(record.id, did, waiting, acknowledgedAt) : waiting
    const missing = me || !online ? 0 : space.missingFrom(did)
    // the row shows it to the second: a finer time would redraw it at every acknowledgement
    const lastSyncedAt = acknowledgedAt === undefined ? undefined : acknowledgedAt - (acknowledgedAt % 1000)
    const sync: MemberSyncLabel = me
      ? 'me'
      : lastSyncedAt === undefined && !online
        ? 'never-synced'
        : online
          ? missing > 0
            ? 'catching-up'
            : pending === 0
              ? 'in-sync'
              : 'sending'
          : 'waiting'
    const presentName = presence.find((p) => p.did === did)?.name
    return {
      did,
      name: me ? 'you' : (presentName ?? ctx.nameOf(did)),
      role: did === record.owner ? 'owner' : (roles.get(did) ?? 'read'),
      me,
      online: me ? ctx.online : online,
      link: me ? undefined : link,
      pending,
      missing,
      lastSyncedAt,
      sync,
    }
  })
  return {
    id: record.id,
    name: record.name,
    owner: record.owner,
    role: record.role,
    privacy: record.privacy,
    linkRole: record.linkRole ?? 'read',
    canWrite: space.policy.canWrite(ctx.me),
    members,
    presence,
    notes: [...space.notes.entries()]
      .map(([id, title]) => ({ id, title }))
      .sort((a, b) => (a.id === 'main' ? -1 : a.title.localeCompare(b.title))),
    files: [...space.files.entries()].map(([cid, f]) => ({
      ...f,
      cid,
      state: ctx.local.has(cid) ? 'here' : ctx.fetching.has(cid) ? 'fetching' : ctx.tooLarge.has(cid) ? 'too-large' : 'missing',
    })),
    entries: [...space.entries.keys()].map((cid) => {
      const check = ctx.entryChecks.get(cid)
      return {
        cid,
        title: check?.state === 'verified' ? check.title : undefined,
        error: check?.state === 'refused' ? check.error.message : undefined,
      }
    }),
  }
}

/** The 1-based line of a note that a presence cursor (y-codemirror.next's relative position) points into; anything unreadable is ignored. */
function cursorLine(space: OpenSpace, noteId: string, cursor: unknown): number | undefined {
  try {
    const head = (cursor as { head?: unknown } | null | undefined)?.head
    if (head === undefined || head === null) return undefined
    const text = space.noteText(noteId)
    const at = Y.createAbsolutePositionFromRelativePosition(Y.createRelativePositionFromJSON(head), space.doc)
    if (at === null || at.type !== text) return undefined
    return text.toJSON().slice(0, at.index).split('\n').length
  } catch {
    return undefined
  }
}
