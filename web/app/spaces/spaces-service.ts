import type { Connection } from '@libp2p/interface'
import type { Identity } from '../../../shared/identity/did-key.ts'
import { InvitationRefusedError, SpaceActionError, type InvitationRefusal } from '../../../shared/spaces/errors.ts'
import { createInvitation, verifyInvitation } from '../../../shared/spaces/invitation.ts'
import { createGrant } from '../../../shared/spaces/membership.ts'
import { newSpaceId, type SpaceRole } from '../../../shared/spaces/space-id.ts'
import type { SpaceRecord, SpaceStore } from '../../../shared/spaces/space-record.ts'
import type { DocStore } from '../../sync/doc-store.ts'
import { formatInviteLink, parseInviteLink } from '../../../shared/protocol/invite-link.ts'
import { formatSpaceLink, parseSpaceLink } from '../../../shared/protocol/space-link.ts'
import { privacyAllows, DEFAULT_PRIVACY, type Privacy } from '../../../shared/trust/privacy.ts'
import type { SpaceReplica } from '../../sync/space-replica.ts'
import { OpenSpace, type PresenceState, type SpaceFile } from './open-space.ts'
import { SpaceContent } from './space-content.ts'
import { MemberDialer } from './member-dialer.ts'
import { spaceView, type SpaceView } from './space-view.ts'
import { Emitter, type Unsubscribe } from '../../../shared/events/emitter.ts'
import { logFailure, logOf } from '../../../shared/log.ts'

const log = logOf('spaces')

/** What spaces need of the network; the app wires it to libp2p. */
export interface SpacesNetwork {
  online(): boolean
  /** Where members reach me: my WebRTC address through the relay. */
  shareAddress(): string | undefined
  /** Open, authenticated direct connections to a DID. */
  connectionsTo(did: string): Connection[]
  connect(address: string): Promise<Connection>
  join(connection: Connection, spaceId: string, options?: { invitation?: string }): Promise<void>
}

export interface SpacesComponents {
  store: SpaceStore
  docs: DocStore
  identity: () => Identity
  displayName: () => string
  nameOf: (did: string) => string | undefined
  trustLevelOf: (did: string) => number
  network: SpacesNetwork
  /** Fetches a file the space refers to from a member, verified block by block. */
  fetchFile: (connections: Connection[], cid: string, file: SpaceFile, maxBytes?: number) => Promise<void>
  hasFile: (cid: string) => Promise<boolean>
  /** Checks and stores an entry found in a space; throws on a forgery. */
  importEntry: (jws: string) => Promise<{ title: string }>
  /** The origin invitation links point at. */
  origin: string
}

const RECONCILE_MS = 3_000
const SAVE_RECORD_MS = 1_000
const COLORS = ['#d1495b', '#00798c', '#edae49', '#66a182', '#8d96a3', '#6a4c93', '#e07a5f']

/**
 * Spaces: create, invite, join, and keep every open space in sync with its
 * members, who are found again after a reload from the addresses the space
 * itself carries. Files a space refers to are fetched in the background.
 */
export interface SpacesEvents {
  /** A space, its members, content or presence changed (once per turn, however many changes). */
  change: []
}

export class SpacesService {
  readonly #c: SpacesComponents
  readonly #open = new Map<string, OpenSpace>()
  readonly #events = new Emitter<SpacesEvents>()
  readonly #content: SpaceContent
  readonly #dialer: MemberDialer
  readonly #dirty = new Set<string>()
  /** Admissions in progress, per space and DID (see admit). */
  readonly #admitting = new Map<string, Promise<void>>()
  /** Spaces I am joining now: their owner is reached with the invitation, not dialled without it. */
  readonly #joining = new Set<string>()
  #saveTimer: ReturnType<typeof setTimeout> | undefined
  #timer: ReturnType<typeof setInterval> | undefined
  #views: SpaceView[] | undefined
  #notifying = false

  constructor(components: SpacesComponents) {
    this.#c = components
    const { network } = components
    this.#content = new SpaceContent({
      connectionsTo: (did) => network.connectionsTo(did),
      fetchFile: components.fetchFile,
      hasFile: components.hasFile,
      importEntry: components.importEntry,
      save: (space) => this.#saveSoon(space.record.id),
      changed: () => this.#changed(),
    })
    this.#dialer = new MemberDialer({
      connectionsTo: (did) => network.connectionsTo(did),
      connect: async (address) => await network.connect(address),
      join: async (connection, spaceId) => await network.join(connection, spaceId),
    })
  }

  async start(): Promise<void> {
    for (const record of await this.#c.store.list()) await this.#openSpace(record)
    this.#changed()
    this.#timer = setInterval(() => this.reconcile(), RECONCILE_MS)
    this.reconcile()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    clearTimeout(this.#saveTimer)
    await this.#saveDirty()
    await Promise.all([...this.#open.values()].map(async (s) => await s.close()))
    this.#open.clear()
  }

  on<K extends keyof SpacesEvents>(name: K, listener: (...args: SpacesEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  list(): SpaceView[] {
    const me = this.#c.identity().did
    this.#views ??= [...this.#open.values()]
      .map((s) =>
        spaceView(s, {
          me,
          nameOf: this.#c.nameOf,
          fetching: this.#content.fetching,
          local: this.#content.local,
          entryChecks: this.#content.entryChecks,
          tooLarge: this.#content.tooLarge,
          online: this.#c.network.online(),
        }),
      )
      .sort((a, b) => a.name.localeCompare(b.name))
    return this.#views
  }

  /** The replica of a space this browser holds (for the sync protocol). */
  replica(spaceId: string): SpaceReplica | undefined {
    return this.#open.get(spaceId)?.replica
  }

  /** The open space (for the editor binding and tests). */
  space(spaceId: string): OpenSpace | undefined {
    return this.#open.get(spaceId)
  }

  /** Whether a DID may receive a file because a space it reads refers to it (see SpaceContent). */
  servesFileTo(did: string, cid: string): boolean {
    return this.#content.servesFileTo(this.#open.values(), did, cid)
  }

  /** A new space of mine; `privacy` says who may come in by its link, `linkRole` what they may do. */
  async create(name: string, privacy: Privacy = DEFAULT_PRIVACY, linkRole: SpaceRole = 'read'): Promise<string> {
    const me = this.#c.identity()
    const record: SpaceRecord = {
      id: newSpaceId(),
      name: name.trim() === '' ? 'Untitled space' : name.trim().slice(0, 200),
      owner: me.did,
      role: 'owner',
      privacy,
      linkRole,
      createdAt: Date.now(),
      usedInvitations: {},
      sync: {},
    }
    await this.#c.store.put(record)
    const space = await this.#openSpace(record)
    space.doc.transact(() => {
      space.doc.getMap('meta').set('name', record.name)
      space.doc.getMap('meta').set('owner', me.did)
      space.notes.set('main', 'Notes')
    })
    this.reconcile()
    return record.id
  }

  /** Who may come in by the space link, and what they may do; members who came that way follow at once. */
  async setPrivacy(spaceId: string, privacy: Privacy, linkRole?: SpaceRole): Promise<void> {
    const space = this.#need(spaceId)
    if (space.record.role !== 'owner') throw new SpaceActionError('Only the owner of a space can change who may come in')
    space.record = { ...space.record, privacy, linkRole: linkRole ?? space.record.linkRole }
    await this.#c.store.put(space.record)
    await this.#reviewLinkMembers(space)
    this.#changed()
  }

  /** A link (for a QR code too) that admits one person, as reader or writer, until it expires. */
  async invite(spaceId: string, role: SpaceRole, ttlSeconds?: number): Promise<string> {
    const space = this.#need(spaceId)
    if (space.record.role !== 'owner') throw new SpaceActionError('Only the owner of a space can invite')
    const from = this.#c.network.shareAddress()
    if (from === undefined) throw new SpaceActionError('This browser has no relay address yet, so no one could reach it')
    const invitation = await createInvitation(this.#c.identity(), { space: spaceId, name: space.record.name, role, ttlSeconds })
    return formatInviteLink(this.#c.origin, { invitation, from })
  }

  /**
   * A link to the space without an invitation, for the people its privacy
   * class admits; anyone else who opens it is refused.
   */
  spaceLink(spaceId: string): string {
    const space = this.#need(spaceId)
    if (space.record.role !== 'owner') throw new SpaceActionError('Only the owner of a space can share a link to it')
    const from = this.#c.network.shareAddress()
    if (from === undefined) throw new SpaceActionError('This browser has no relay address yet, so no one could reach it')
    return formatSpaceLink(this.#c.origin, { space: spaceId, name: space.record.name, owner: space.record.owner, from })
  }

  /**
   * Opens an invitation link (checked, then the inviter is reached and admits
   * me) or a space link (the owner admits me if the space's privacy does).
   * Refusals throw InvitationRefusedError.
   */
  async accept(linkText: string): Promise<string> {
    const spaceLink = parseSpaceLink(linkText)
    if (spaceLink !== undefined) {
      if (spaceLink.owner === this.#c.identity().did)
        throw new SpaceActionError('This is a link to your own space; send it to the people it is for')
      return await this.#join({ id: spaceLink.space, name: spaceLink.name, owner: spaceLink.owner, role: 'read', from: spaceLink.from })
    }
    const link = parseInviteLink(linkText)
    if (link === undefined) throw new InvitationRefusedError('malformed')
    const invitation = await verifyInvitation(link.invitation)
    if (invitation.inviter === this.#c.identity().did)
      throw new SpaceActionError('This is your own invitation; send it to the person you invite')
    const { space: id, name, inviter: owner, role } = invitation
    return await this.#join({ id, name, owner, role, from: link.from }, link.invitation)
  }

  async #join(how: Pick<SpaceRecord, 'id' | 'name' | 'owner'> & { role: SpaceRole; from: string }, invitation?: string): Promise<string> {
    const existing = this.#open.get(how.id)
    const space =
      existing ??
      (await this.#openSpace({
        id: how.id,
        name: how.name,
        owner: how.owner,
        role: how.role,
        privacy: DEFAULT_PRIVACY,
        createdAt: Date.now(),
        ownerAddress: how.from,
        usedInvitations: {},
        sync: {},
      }))
    this.#joining.add(how.id)
    try {
      const connection = await this.#c.network.connect(how.from)
      // the invitation goes to the owner it names, and to no one else
      if (!this.#c.network.connectionsTo(how.owner).some((c) => c.id === connection.id)) throw new InvitationRefusedError('wrong-address')
      await this.#c.network.join(connection, how.id, { invitation })
    } catch (err) {
      if (existing === undefined) await this.#forget(space)
      throw err
    } finally {
      this.#joining.delete(how.id)
    }
    await this.#c.store.put(space.record)
    this.#changed()
    this.reconcile()
    return how.id
  }

  /**
   * The sync protocol's gate: the replica for a member, or why not; a valid
   * invitation makes a member. One person's admissions to one space run one
   * at a time: an invitee's browser may join by the link and by the
   * invitation at once, and the invitation must still have the last word.
   */
  async admit(spaceId: string, did: string, invitationJws: string | undefined): Promise<SpaceReplica | InvitationRefusal> {
    const key = `${spaceId} ${did}`
    const before = this.#admitting.get(key) ?? Promise.resolve()
    const turn = before.then(async () => await this.#admitNow(spaceId, did, invitationJws))
    const settled = turn.then(
      () => undefined,
      () => undefined,
    )
    this.#admitting.set(key, settled)
    void settled.then(() => {
      if (this.#admitting.get(key) === settled) this.#admitting.delete(key)
    })
    return await turn
  }

  async #admitNow(spaceId: string, did: string, invitationJws: string | undefined): Promise<SpaceReplica | InvitationRefusal> {
    const space = this.#open.get(spaceId)
    if (space === undefined) return 'no-such-space'
    if (invitationJws !== undefined && space.record.role === 'owner') return await this.#admitByInvitation(space, did, invitationJws)
    if (await this.#admitByLink(space, did)) return space.replica
    return space.replica.syncsWith(did) ? space.replica : 'no-such-space'
  }

  /**
   * An invitation's role is what the owner chose for that person: it replaces
   * whatever the space link gave them (up or down), and from then on the link's
   * role no longer applies to them.
   */
  async #admitByInvitation(space: OpenSpace, did: string, invitationJws: string): Promise<SpaceReplica | InvitationRefusal> {
    let invitation
    try {
      invitation = await verifyInvitation(invitationJws)
    } catch (err) {
      return err instanceof InvitationRefusedError ? err.reason : 'malformed'
    }
    if (invitation.inviter !== this.#c.identity().did) return 'forged'
    if (invitation.space !== space.record.id) return 'wrong-space'
    const usedBy = space.record.usedInvitations[invitation.id]
    if (usedBy !== undefined && usedBy !== did) return 'used'
    // presented again (a reconnect): the grant it brought stands
    if (usedBy === did && space.replica.syncsWith(did)) return space.replica
    // marked before any await, so two people racing with one invitation cannot both get in
    space.record = {
      ...space.record,
      usedInvitations: { ...space.record.usedInvitations, [invitation.id]: did },
      linkMembers: space.record.linkMembers?.filter((d) => d !== did),
    }
    await this.#c.store.put(space.record)
    await this.#grant(space, did, invitation.role)
    return space.replica
  }

  async #grant(space: OpenSpace, did: string, role: SpaceRole | 'removed'): Promise<void> {
    const grant = await createGrant(this.#c.identity(), space.record.id, { member: did, role }, space.policy.grantOf(did))
    await space.policy.learn(grant)
    space.grants.set(did, grant)
  }

  /**
   * The owner makes a member of someone the space's privacy setting admits,
   * with the role it gives such people, so every member syncs with them.
   * Members by invitation, and people removed by hand, are left as they are.
   */
  async #admitByLink(space: OpenSpace, did: string): Promise<boolean> {
    const { record } = space
    if (record.role !== 'owner' || did === record.owner) return false
    const grant = space.policy.grantOf(did)
    const cameByLink = record.linkMembers?.includes(did) === true
    if (grant !== undefined && !(cameByLink && grant.role === 'removed')) return false
    if (!this.#linkAdmits(space, did)) return false
    if (!cameByLink) {
      space.record = { ...record, linkMembers: [...(record.linkMembers ?? []), did] }
      await this.#c.store.put(space.record)
    }
    await this.#grant(space, did, record.linkRole ?? 'read')
    return true
  }

  /** Members who came by the link keep their place only while the privacy setting (and my trust) admits them. */
  async #reviewLinkMembers(space: OpenSpace): Promise<void> {
    const { record } = space
    for (const did of record.linkMembers ?? []) {
      const grant = space.policy.grantOf(did)
      if (grant === undefined || grant.role === 'removed') continue
      const role = record.linkRole ?? 'read'
      if (!this.#linkAdmits(space, did)) await this.#takeOut(space, did)
      else if (grant.role !== role) await this.#grant(space, did, role)
    }
  }

  #linkAdmits(space: OpenSpace, did: string): boolean {
    return privacyAllows(space.record.privacy, did, this.#c.trustLevelOf(did))
  }

  /**
   * The owner takes a member out with a signed removal that supersedes its
   * grant, so every replica stops sending to and taking from that DID, an old
   * grant put back changes nothing, and the invitation it used cannot bring
   * it back (a new invitation can).
   */
  async removeMember(spaceId: string, did: string): Promise<void> {
    const space = this.#need(spaceId)
    if (space.record.role !== 'owner') throw new SpaceActionError('Only the owner of a space can remove members')
    const used = Object.entries(space.record.usedInvitations).map(([id, by]): [string, string] => [id, by === did ? `removed:${did}` : by])
    // removed by hand: the space link does not bring them back either
    const linkMembers = space.record.linkMembers?.filter((d) => d !== did)
    space.record = { ...space.record, usedInvitations: Object.fromEntries(used), linkMembers }
    await this.#c.store.put(space.record)
    await this.#takeOut(space, did)
    this.#changed()
  }

  async #takeOut(space: OpenSpace, did: string): Promise<void> {
    // learning the removal re-syncs the replica, which drops that DID's streams
    await this.#grant(space, did, 'removed')
    space.addresses.delete(did)
  }

  async addNote(spaceId: string, title: string): Promise<string> {
    const space = this.#writable(spaceId)
    const id = crypto.randomUUID().slice(0, 8)
    space.notes.set(id, noteTitle(title))
    return await Promise.resolve(id)
  }

  renameNote(spaceId: string, noteId: string, title: string): void {
    const space = this.#writable(spaceId)
    if (space.notes.has(noteId)) space.notes.set(noteId, noteTitle(title))
  }

  /** Takes a note out of the space, text and all; the first note stays (it can be renamed). */
  deleteNote(spaceId: string, noteId: string): void {
    const space = this.#writable(spaceId)
    if (noteId === 'main') throw new SpaceActionError('The first note of a space stays; rename it instead')
    const text = space.noteText(noteId)
    space.doc.transact(() => {
      space.notes.delete(noteId)
      text.delete(0, text.length)
    })
  }

  /** Puts a file of my library into the space: its members may fetch it from me from now on. */
  addFile(spaceId: string, cid: string, file: Omit<SpaceFile, 'addedBy' | 'addedAt'>): void {
    const space = this.#writable(spaceId)
    this.#content.serve(space, cid, true)
    space.files.set(cid, { ...file, addedBy: this.#c.identity().did, addedAt: Date.now() })
  }

  /** The space stops referring to a file; copies members already hold stay in their libraries. */
  removeFile(spaceId: string, cid: string): void {
    const space = this.#writable(spaceId)
    this.#content.serve(space, cid, false)
    space.files.delete(cid)
  }

  /** Fetches a space's file that was held back for its size. */
  async fetchFileNow(spaceId: string, cid: string): Promise<void> {
    await this.#content.fetchNow(this.#need(spaceId), cid)
  }

  addEntry(spaceId: string, cid: string, jws: string): void {
    this.#writable(spaceId).entries.set(cid, jws)
  }

  removeEntry(spaceId: string, cid: string): void {
    this.#writable(spaceId).entries.delete(cid)
  }

  /** Says which note I am in, for the others' presence lists. */
  setEditing(spaceId: string, noteId: string | undefined): void {
    const awareness = this.#need(spaceId).replica.awareness
    if (awareness.getLocalState() !== null) awareness.setLocalStateField('note', noteId)
  }

  async leave(spaceId: string): Promise<void> {
    await this.#forget(this.#need(spaceId))
    this.#changed()
  }

  /** The network is back (relay, or my reservation on it): dials that failed while it was away are tried at once. */
  networkBack(): void {
    this.#dialer.reset()
    this.reconcile()
  }

  /** Finds members again, joins them, writes my address into the space, fetches what is missing. */
  reconcile(): void {
    if (!this.#c.network.online()) return
    const me = this.#c.identity().did
    const address = this.#c.network.shareAddress()
    for (const space of this.#open.values()) {
      if (space.policy.canWrite(me)) {
        if (address !== undefined && space.addresses.get(me) !== address) space.addresses.set(me, address)
        // grants someone deleted or replaced with older ones go back (they are signed, so anyone may carry them)
        const repairs = space.policy.repairs()
        if (repairs.length > 0) space.doc.transact(() => repairs.forEach(([did, jws]) => space.grants.set(did, jws)))
      }
      space.replica.resync()
      this.#refreshPresence(space)
      if (space.record.role === 'owner') void this.#reviewLinkMembers(space)
      for (const did of space.memberDids()) {
        if (did === me || space.online(did) || this.#joining.has(space.record.id)) continue
        void this.#dialer.reach(space, did)
      }
      void this.#content.fetchMissing(space)
    }
  }

  async #openSpace(record: SpaceRecord): Promise<OpenSpace> {
    const identity = this.#c.identity()
    const space = new OpenSpace(record, identity, {
      trustLevelOf: this.#c.trustLevelOf,
      onChange: () => this.#changed(),
      onLearn: (grants) => {
        space.record = { ...space.record, grants }
        this.#saveSoon(record.id)
      },
    })
    space.detach = await this.#c.docs.attach(record.id, space.doc)
    space.replica.awareness.setLocalState({ user: this.#presenceUser() })
    space.replica.onPeerHolding((did, { vector, snapshot }) => {
      // a bare state vector (sync step 1) keeps the deletions the member last confirmed
      const held = { vector: Object.fromEntries(vector), at: Date.now(), snapshot: snapshot ?? space.record.sync[did]?.snapshot }
      space.record = { ...space.record, sync: { ...space.record.sync, [did]: held } }
      this.#saveSoon(record.id)
      this.#changed()
    })
    space.files.observe(() => void this.#content.fetchMissing(space))
    space.entries.observe(() => void this.#content.fetchMissing(space))
    this.#open.set(record.id, space)
    return space
  }

  #presenceUser(): PresenceState['user'] {
    const { did } = this.#c.identity()
    return { did, name: this.#c.displayName() || did.slice(-8), color: colorOf(did) }
  }

  /** A new display name reaches the others at the next round. */
  #refreshPresence(space: OpenSpace): void {
    const awareness = space.replica.awareness
    const user = (awareness.getLocalState() as Partial<PresenceState> | null)?.user
    if (user !== undefined && user.name !== this.#presenceUser().name) awareness.setLocalStateField('user', this.#presenceUser())
  }

  /** Sync lines and learnt grants change often: their record is written at most once a second. */
  #saveSoon(spaceId: string): void {
    this.#dirty.add(spaceId)
    this.#saveTimer ??= setTimeout(() => void this.#saveDirty(), SAVE_RECORD_MS)
  }

  async #saveDirty(): Promise<void> {
    this.#saveTimer = undefined
    const ids = [...this.#dirty]
    this.#dirty.clear()
    for (const id of ids) {
      const space = this.#open.get(id)
      // both are kept for convenience (grants are in the document too): a failed write keeps the previous record
      if (space !== undefined) await this.#c.store.put(space.record).catch(logFailure(log, `saving space ${id}`))
    }
  }

  async #forget(space: OpenSpace): Promise<void> {
    this.#open.delete(space.record.id)
    await space.close()
    await this.#c.docs.delete(space.record.id)
    await this.#c.store.delete(space.record.id)
  }

  #need(spaceId: string): OpenSpace {
    const space = this.#open.get(spaceId)
    if (space === undefined) throw new SpaceActionError(`No space ${spaceId} here`)
    return space
  }

  /** A space I may change: a reader's changes would be refused by every member. */
  #writable(spaceId: string): OpenSpace {
    const space = this.#need(spaceId)
    if (!space.policy.canWrite(this.#c.identity().did)) throw new SpaceActionError('You may only read this space')
    return space
  }

  /**
   * Every keystroke, presence change and acknowledgement lands here: the views
   * are only marked stale and rebuilt when read, and listeners hear once per turn.
   */
  #changed(): void {
    this.#views = undefined
    if (this.#notifying) return
    this.#notifying = true
    queueMicrotask(() => {
      this.#notifying = false
      this.#events.emit('change')
    })
  }
}

function noteTitle(title: string): string {
  return title.trim() === '' ? 'Untitled note' : title.trim().slice(0, 200)
}

function colorOf(did: string): string {
  let h = 0
  for (const ch of did) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return COLORS[h % COLORS.length] as string
}
