import type { Connection } from '@libp2p/interface'
import equal from 'fast-deep-equal'
import type { Identity } from '../../../shared/identity/did-key.ts'
import { SpaceActionError } from '../../../shared/spaces/errors.ts'
import { newSpaceId, type SpaceRole } from '../../../shared/spaces/space-id.ts'
import type { SpaceRecord, SpaceStore } from '../../../shared/spaces/space-record.ts'
import type { DocStore } from '../../sync/doc-store.ts'
import { DEFAULT_PRIVACY, type Privacy } from '../../../shared/trust/privacy.ts'
import type { SpaceReplica } from '../../sync/space-replica.ts'
import { Emitter, type Unsubscribe } from '../../../shared/events/emitter.ts'
import { OpenSpace, type NoteBinding, type SpaceFile } from './open-space.ts'
import type { OpenSpaces } from './open-spaces.ts'
import { SpaceContent } from './space-content.ts'
import { SpaceEdits } from './space-edits.ts'
import { SpaceLinks } from './space-links.ts'
import { SpaceMembership } from './space-membership.ts'
import { SpacePresence } from './space-presence.ts'
import { SpaceRecords } from './space-records.ts'
import { spaceView, type SpaceView } from './space-view.ts'
import type { SpacesNetwork } from './spaces-network.ts'
import { MemberDialer } from './member-dialer.ts'
import { PendingShown } from './pending-shown.ts'
import { logOf } from '../../../shared/log.ts'

export type { SpacesNetwork }

export interface SpacesComponents {
  store: SpaceStore
  docs: DocStore
  identity: () => Identity
  displayName: () => string
  nameOf: (did: string) => string | undefined
  trustLevelOf: (did: string) => number
  network: SpacesNetwork
  /** Fetches a file the space refers to from members, verified block by block. */
  fetchFile: (connections: Connection[], cid: string, file: SpaceFile, maxBytes?: number) => Promise<void>
  hasFile: (cid: string) => Promise<boolean>
  /** Checks and stores an entry found in a space; throws on a forgery. */
  importEntry: (jws: string) => Promise<{ title: string }>
  /** The origin invitation links point at. */
  origin: string
}

export interface SpacesEvents {
  /** A space, its members, content or presence changed (once per turn, however many changes). */
  change: []
}

const log = logOf('spaces')
const RECONCILE_MS = 3_000

/**
 * Spaces: the registry of the spaces this browser holds open, their life
 * (create, open, leave) and their views, and the rounds that keep each in
 * sync with its members, who are found again after a reload from the
 * addresses the space itself carries. The jobs within a space are parts of
 * their own: who belongs (membership), the ways in (links), changes to what
 * it holds (edits), what the others see of me (presence), its files and
 * entries (content), and the keeping of its record (records).
 */
export class SpacesService {
  readonly membership: SpaceMembership
  readonly links: SpaceLinks
  readonly edits: SpaceEdits
  readonly presence: SpacePresence
  readonly #c: SpacesComponents
  readonly #open = new Map<string, OpenSpace>()
  readonly #events = new Emitter<SpacesEvents>()
  readonly #records: SpaceRecords
  readonly #content: SpaceContent
  readonly #dialer: MemberDialer
  readonly #spaces: OpenSpaces
  #timer: ReturnType<typeof setInterval> | undefined
  /** The kept spaces being opened, or open: a join waits for it, so it finds a space already here. */
  #kept: Promise<void> | undefined
  #views: SpaceView[] | undefined
  /** The views listeners last heard of. */
  #told: SpaceView[] | undefined
  #notifying = false
  readonly #pendingShown = new PendingShown()
  /** A look at the views again when a count held back is due to show. */
  #pendingDue: { at: number; timer: ReturnType<typeof setTimeout> } | undefined
  /** Members being moved to a better connection, per space. */
  readonly #moving = new Set<string>()

  constructor(components: SpacesComponents) {
    this.#c = components
    const { network, identity } = components
    this.#records = new SpaceRecords(components.store)
    this.#spaces = {
      get: (id) => this.#open.get(id),
      need: (id) => this.#need(id),
      owned: (id, action) => {
        const space = this.#need(id)
        if (space.record.role !== 'owner') throw new SpaceActionError(`Only the owner of a space can ${action}`)
        return space
      },
      writable: (id) => {
        const space = this.#need(id)
        if (!space.policy.canWrite(identity().did)) throw new SpaceActionError('You may only read this space')
        return space
      },
      kept: async () => await this.#kept,
      open: async (record) => await this.#openSpace(record),
      forget: async (space) => await this.#forget(space),
      changed: () => this.#changed(),
    }
    this.#content = new SpaceContent({
      connectionsOf: (did) => network.connectionsOf(did),
      fetchFile: components.fetchFile,
      hasFile: components.hasFile,
      importEntry: components.importEntry,
      records: this.#records,
    })
    this.#content.on('change', () => this.#changed())
    this.#dialer = new MemberDialer({
      connectionsOf: (did) => network.connectionsOf(did),
      connect: async (address) => await network.connect(address),
      join: async (connection, spaceId) => await network.join(connection, spaceId),
      again: () => this.reconcile(),
    })
    const spaces = this.#spaces
    const records = this.#records
    this.membership = new SpaceMembership({ spaces, records, identity, trustLevelOf: components.trustLevelOf })
    this.links = new SpaceLinks({ spaces, records, network, identity, origin: components.origin, reconcile: () => this.reconcile() })
    this.edits = new SpaceEdits({ spaces, content: this.#content, identity })
    this.presence = new SpacePresence({ spaces, identity, displayName: components.displayName })
  }

  /** Opens every space kept here from storage: its notes read and edit before, and without, the network. */
  async open(): Promise<void> {
    this.#kept ??= (async () => {
      for (const record of await this.#records.list()) await this.#openSpace(record)
      this.#changed()
    })()
    await this.#kept
  }

  /** Starts the rounds that keep the open spaces in sync with their members (once the network is up). */
  start(): void {
    this.#timer = setInterval(() => this.reconcile(), RECONCILE_MS)
    this.reconcile()
  }

  async stop(): Promise<void> {
    clearInterval(this.#timer)
    clearTimeout(this.#pendingDue?.timer)
    this.#dialer.stop()
    await this.#records.flush()
    await Promise.all([...this.#open.values()].map(async (s) => await s.close()))
    this.#open.clear()
  }

  on<K extends keyof SpacesEvents>(name: K, listener: (...args: SpacesEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  list(): SpaceView[] {
    if (this.#views !== undefined) return this.#views
    const me = this.#c.identity().did
    const now = Date.now()
    const pendingShown = (spaceId: string, did: string, pending: number, acknowledgedAt: number | undefined): number =>
      this.#pendingShown.shown(spaceId, did, pending, acknowledgedAt, now)
    this.#views = [...this.#open.values()]
      .map((s) =>
        spaceView(s, {
          me,
          nameOf: this.#c.nameOf,
          fetching: this.#content.fetching,
          local: this.#content.local,
          entryChecks: this.#content.entryChecks,
          tooLarge: this.#content.tooLarge,
          online: this.#c.network.online(),
          pendingShown,
        }),
      )
      .sort((a, b) => a.name.localeCompare(b.name))
    this.#lookAgainAt(this.#pendingShown.takeDue())
    return this.#views
  }

  /** Computes the views again at `at` (the earliest of those asked for), so a count held back shows when due. */
  #lookAgainAt(at: number | undefined): void {
    if (at === undefined || (this.#pendingDue !== undefined && this.#pendingDue.at <= at)) return
    clearTimeout(this.#pendingDue?.timer)
    const timer = setTimeout(() => {
      this.#pendingDue = undefined
      this.#changed()
    }, at - Date.now())
    this.#pendingDue = { at, timer }
  }

  /** The replica of a space this browser holds (for the sync protocol). */
  replica(spaceId: string): SpaceReplica | undefined {
    return this.#open.get(spaceId)?.replica
  }

  /** What the note editor binds to, or undefined when the space or note is not here. */
  noteBinding(spaceId: string, noteId: string): NoteBinding | undefined {
    const space = this.#open.get(spaceId)
    return space?.notes.has(noteId) === true ? space.noteBinding(noteId) : undefined
  }

  /** The open space (for tests). */
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
    const space = await this.#openSpace({
      id: newSpaceId(),
      name: name.trim() === '' ? 'Untitled space' : name.trim().slice(0, 200),
      owner: me.did,
      role: 'owner',
      privacy,
      linkRole,
      createdAt: Date.now(),
      usedInvitations: {},
      sync: {},
    })
    await this.#records.update(space, (r) => r, 'now')
    space.doc.transact(() => {
      space.doc.getMap('meta').set('name', space.record.name)
      space.doc.getMap('meta').set('owner', me.did)
      space.notes.set('main', 'Notes')
    })
    this.reconcile()
    return space.record.id
  }

  /** Fetches a space's file that was held back for its size. */
  async fetchFileNow(spaceId: string, cid: string): Promise<void> {
    await this.#content.fetchNow(this.#need(spaceId), cid)
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

  /** One round, for every open space: keep it whole, find its members, fetch what is missing. */
  reconcile(): void {
    if (!this.#c.network.online()) return
    for (const space of this.#open.values()) {
      this.#announceAddress(space)
      this.#repairGrants(space)
      space.replica.resync()
      this.presence.refresh(space)
      if (space.record.role === 'owner') void this.membership.reviewLinkMembers(space)
      this.#reachMembers(space)
      void this.#content.fetchMissing(space)
    }
  }

  /** Writes my current address into the space, so members find me after a reload. */
  #announceAddress(space: OpenSpace): void {
    const me = this.#c.identity().did
    const address = this.#c.network.shareAddress()
    if (address !== undefined && space.policy.canWrite(me) && space.addresses.get(me) !== address) space.addresses.set(me, address)
  }

  /** Grants someone deleted or replaced with older ones go back (they are signed, so any writer may carry them). */
  #repairGrants(space: OpenSpace): void {
    if (!space.policy.canWrite(this.#c.identity().did)) return
    const repairs = space.policy.repairs()
    if (repairs.length > 0) space.doc.transact(() => repairs.forEach(([did, jws]) => space.grants.set(did, jws)))
  }

  /**
   * Dials the members not connected now (not the owner of a space I am
   * joining: the invitation reaches it), and moves those synced over a
   * relayed connection to their direct link once it is up.
   */
  #reachMembers(space: OpenSpace): void {
    const me = this.#c.identity().did
    if (this.links.isJoining(space.record.id)) return
    for (const did of space.memberDids()) {
      if (did === me) continue
      const best = this.#c.network.connectionsOf(did)[0]
      if (!space.online(did)) void this.#dialer.reach(space, did)
      else if (best !== undefined && !space.onlineVia(did, best.id)) void this.#moveTo(space, did, best)
    }
  }

  /** Joins over the better connection first, then ends the old links: the sync never pauses. */
  async #moveTo(space: OpenSpace, did: string, best: Connection): Promise<void> {
    const key = `${space.record.id} ${did}`
    if (this.#moving.has(key)) return
    this.#moving.add(key)
    try {
      await this.#c.network.join(best, space.record.id)
      space.keepOnly(did, best.id)
    } catch (err) {
      // the old link goes on; the next round tries again
      log('moving %s to a better connection in space %s failed: %e', did, space.record.id, err)
    } finally {
      this.#moving.delete(key)
    }
  }

  async #openSpace(record: SpaceRecord): Promise<OpenSpace> {
    const space = new OpenSpace(record, await this.#c.docs.open(record.id), this.#c.identity(), { trustLevelOf: this.#c.trustLevelOf })
    this.presence.announce(space)
    space.on('change', () => this.#changed())
    space.on('learn', (grants) => void this.#records.update(space, (r) => ({ ...r, grants }), 'soon'))
    space.on('holding', (did, { vector, snapshot }) => {
      // a bare state vector (sync step 1) keeps the deletions the member last confirmed
      void this.#records.update(
        space,
        (r) => ({
          ...r,
          sync: { ...r.sync, [did]: { vector: Object.fromEntries(vector), at: Date.now(), snapshot: snapshot ?? r.sync[did]?.snapshot } },
        }),
        'soon',
      )
      this.#changed()
    })
    space.files.observe(() => void this.#content.fetchMissing(space))
    space.entries.observe(() => void this.#content.fetchMissing(space))
    this.#open.set(record.id, space)
    return space
  }

  async #forget(space: OpenSpace): Promise<void> {
    this.#open.delete(space.record.id)
    this.#pendingShown.forget(space.record.id)
    await space.close()
    await this.#c.docs.delete(space.record.id)
    await this.#records.delete(space.record.id)
  }

  #need(spaceId: string): OpenSpace {
    const space = this.#open.get(spaceId)
    if (space === undefined) throw new SpaceActionError(`No space ${spaceId} here`)
    return space
  }

  /**
   * Every keystroke, presence change and acknowledgement lands here. Listeners
   * hear once per turn, and only when the views differ from those they last
   * heard of: another member's keystroke seldom changes what the views show,
   * and each notice redraws the app (3–4 ms of a receiving page's CPU per edit).
   */
  #changed(): void {
    this.#views = undefined
    if (this.#notifying) return
    this.#notifying = true
    queueMicrotask(() => {
      this.#notifying = false
      const views = this.list()
      if (this.#told !== undefined && equal(views, this.#told)) {
        // the same objects again, so a reader's memo of them holds
        this.#views = this.#told
        return
      }
      this.#told = views
      this.#events.emit('change')
    })
  }
}
