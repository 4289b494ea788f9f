import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import type { Identity } from '../../shared/identity/did-key.ts'
import { FrameSigner, parseSignedFrame, verifySignedFrame } from '../../shared/protocol/signed-frame.ts'
import { logFailure, logOf } from '../../shared/log.ts'
import {
  checkUpdate,
  encodeAwareness,
  encodeHeld,
  encodeStep1,
  encodeStep2,
  encodeUpdate,
  readAwareness,
  readHeld,
  readStep1Vector,
  syncMessageKind,
  type SyncRefusal,
} from './sync-messages.ts'
import { checkAwarenessUpdate } from './awareness-check.ts'
import { addShown, nothingShown, type Shown } from './pending.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

export type { SyncRefusal }

const log = logOf('replica')

/** Who may read and who may write a space, by DID. */
export interface SpacePolicy {
  canRead(did: string): boolean
  canWrite(did: string): boolean
}

/** Where a replica sends frames for one peer. */
export interface SyncLink {
  send(frame: Uint8Array): void
  /** Ends the link: the peer is no longer admitted, or is reached by a better connection. */
  close(): void
  /** The connection the link runs over, when it has one: a peer may be moved to a better one. */
  via?: string
  /** Whether that connection is a direct one or runs through a relay, when known. */
  path?: 'direct' | 'relayed'
}

export type ReceiveResult = { ok: true } | { ok: false; reason: SyncRefusal }

/** What a member told us it holds: its state vector always, and its deletions when it sent a snapshot. */
export interface PeerHolding {
  vector: Map<number, number>
  /** An encoded Yjs snapshot (`Y.encodeSnapshot`), when the peer sent one. */
  snapshot?: Uint8Array
}

export interface ReplicaEvents {
  /** A peer told us what it holds: its state vector (sync step 1) or a snapshot (its acknowledgement). */
  holding: [did: string, holding: PeerHolding]
}

export interface ReplicaOptions {
  /** How long to gather received changes before confirming them with our state vector; 0 confirms at once. */
  ackDelayMs?: number
  /** The clock that ages what was sent (see PeerEntry.sent). */
  now?: () => number
}

/**
 * What a link carried is not sent again for this long: a joining member's
 * step 1 and held, and its first resync, arrive before our answer, and each
 * would otherwise bring the whole space again. After it, the peer's own
 * vector decides, so a frame lost all the same is repaired by the next round
 * (every 3 s).
 */
export const RESEND_AFTER_MS = 2_500

/** Marks changes and presence applied from a peer, so they are not sent back out. */
class RemoteOrigin {
  constructor(readonly peer: string) {}
}

interface PeerEntry {
  peer: string
  did: string
  link: SyncLink
  clients: Set<number>
  /** Its state vector as it last told us. */
  vector: Uint8Array | undefined
  /** Our state vector when we last sent it what it lacked (a step 2 or a push), and when. */
  sent: { vector: Map<number, number>; at: number } | undefined
  /** What it has sent us since it last told us what it holds. */
  shown: Shown
  ackTimer: ReturnType<typeof setTimeout> | undefined
}

/**
 * One space's Yjs document, kept in sync with peers by y-protocols sync and
 * awareness messages. Every message travels in a frame signed by the DID that
 * sent it, and is applied only when the signature holds, that DID is the one
 * the connection proved, and it may write (changes) or read (state vectors,
 * presence). A peer that receives changes answers with its state vector, so
 * each side knows what the other holds.
 */
export class SpaceReplica {
  readonly doc: Y.Doc
  readonly awareness: awarenessProtocol.Awareness
  readonly #identity: Identity
  readonly #signer: FrameSigner
  /** Frames leave in the order they were asked for: one signed off the main thread holds back those after it. */
  #outbox: Promise<void> = Promise.resolve()
  /** Frames in the outbox not yet handed to their links. */
  #waiting = 0
  readonly #policy: SpacePolicy
  readonly #ackDelayMs: number
  readonly #now: () => number
  readonly #peers = new Map<string, PeerEntry>()
  readonly #refusals = new Map<string, number>()
  /** Which DID each presence client ID belongs to: no one speaks for another's cursor. */
  readonly #clientOwners = new Map<number, string>()
  readonly #events = new Emitter<ReplicaEvents>()
  /** The origin of the last remote change that altered the document. */
  #lastApplied: RemoteOrigin | undefined

  constructor(doc: Y.Doc, identity: Identity, policy: SpacePolicy, options: ReplicaOptions = {}) {
    this.doc = doc
    this.#identity = identity
    this.#signer = new FrameSigner(identity)
    this.#policy = policy
    this.#ackDelayMs = options.ackDelayMs ?? 250
    this.#now = options.now ?? Date.now
    this.awareness = new awarenessProtocol.Awareness(doc)
    // no presence until the app says who we are (a state must name our DID)
    this.awareness.setLocalState(null)
    this.#clientOwners.set(doc.clientID, identity.did)
    // members keep a full mesh, so changes from a peer are not relayed: the
    // others get them from that peer, or from anyone in sync step 2
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin instanceof RemoteOrigin) {
        this.#lastApplied = origin
        return
      }
      // a reader's own edits stay local: every member would refuse them
      if (!this.#policy.canWrite(this.#identity.did)) return
      this.#broadcast(encodeUpdate(update))
    })
    this.awareness.on('update', ({ added, updated, removed }: Record<string, number[]>, origin: unknown) => {
      if (origin instanceof RemoteOrigin) return
      const changed = [...(added ?? []), ...(updated ?? []), ...(removed ?? [])].filter((c) => c === doc.clientID)
      if (changed.length > 0) this.#broadcast(encodeAwareness(this.awareness, changed))
    })
  }

  /** Whether a DID may read this space at all. */
  syncsWith(did: string): boolean {
    return this.#policy.canRead(did)
  }

  on<K extends keyof ReplicaEvents>(name: K, listener: (...args: ReplicaEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /** Starts syncing with a peer that proved `did`: sends our state vector (sync step 1) and presence. */
  connect(peer: string, did: string, link: SyncLink): void {
    if (!this.#policy.canRead(did)) return
    const entry: PeerEntry = {
      peer,
      did,
      link,
      clients: new Set(),
      vector: undefined,
      sent: undefined,
      shown: nothingShown(),
      ackTimer: undefined,
    }
    this.#peers.set(peer, entry)
    this.#send([entry], encodeStep1(this.doc))
    this.#send([entry], encodeHeld(this.doc))
    if (this.awareness.getLocalState() !== null) this.#send([entry], encodeAwareness(this.awareness, [this.doc.clientID]))
  }

  /**
   * Sends our state vector to every peer again, and what we hold (deletions
   * included, which a state vector does not show); each answers with what we
   * lack. Run now and then, and whenever someone's part changes, it repairs
   * lost frames, carries changes between members who have not met, and ends
   * the links of peers no longer admitted.
   */
  resync(): void {
    for (const [peer, entry] of this.#peers) {
      if (this.#policy.canRead(entry.did)) continue
      this.disconnect(peer)
      entry.link.close()
    }
    const entries = [...this.#peers.values()]
    this.#send(entries, encodeStep1(this.doc))
    this.#send(entries, encodeHeld(this.doc))
    // and pushes what a peer lacks by its last vector: edits held back while we were not yet a writer
    if (this.#policy.canWrite(this.#identity.did)) for (const entry of entries) this.#push(entry)
  }

  /** Sends a peer the changes it lacks by its last known state vector, if any, less what this link already carried. */
  #push(entry: PeerEntry): void {
    if (entry.vector === undefined) return
    const update = this.#unsent(entry)
    if (Y.decodeUpdate(update).structs.length === 0) return
    this.#send([entry], encodeUpdate(update))
  }

  /** Our changes beyond both the peer's vector and what was sent to it, with our whole delete set; marked as sent. */
  #unsent(entry: PeerEntry): Uint8Array {
    const base = entry.vector === undefined ? new Map<number, number>() : Y.decodeStateVector(entry.vector)
    const now = this.#now()
    if (entry.sent !== undefined && now - entry.sent.at < RESEND_AFTER_MS)
      for (const [client, clock] of entry.sent.vector) base.set(client, Math.max(clock, base.get(client) ?? 0))
    const update = Y.encodeStateAsUpdate(this.doc, Y.encodeStateVector(base))
    entry.sent = { vector: Y.decodeStateVector(Y.encodeStateVector(this.doc)), at: now }
    return update
  }

  disconnect(peer: string): void {
    const entry = this.#peers.get(peer)
    if (entry === undefined) return
    clearTimeout(entry.ackTimer)
    this.#peers.delete(peer)
    // presence goes when the last link to that DID goes
    const stillThere = [...this.#peers.values()].some((p) => p.did === entry.did)
    if (!stillThere && entry.clients.size > 0)
      awarenessProtocol.removeAwarenessStates(this.awareness, [...entry.clients], new RemoteOrigin(peer))
  }

  /** Peers connected now, with the DID each proved and the connection it runs over. */
  peers(): Array<{ peer: string; did: string; via: string | undefined; path: SyncLink['path'] }> {
    return [...this.#peers].map(([peer, { did, link }]) => ({ peer, did, via: link.via, path: link.path }))
  }

  /** Ends a peer's link (it goes on over another). */
  end(peer: string): void {
    const entry = this.#peers.get(peer)
    if (entry === undefined) return
    this.disconnect(peer)
    entry.link.close()
  }

  /** What a DID has sent over its links since each last told us what it holds (see withShown). */
  shownBy(did: string): Shown {
    const shown = nothingShown()
    for (const entry of this.#peers.values()) {
      if (entry.did !== did) continue
      for (const [client, ranges] of entry.shown.items) shown.items.set(client, [...(shown.items.get(client) ?? []), ...ranges])
      if (entry.shown.deletions.clients.size > 0) shown.deletions = Y.mergeDeleteSets([shown.deletions, entry.shown.deletions])
    }
    return shown
  }

  refusals(peer: string): number {
    return this.#refusals.get(peer) ?? 0
  }

  /** Stops timers and presence; the document itself is left to its owner. */
  destroy(): void {
    for (const peer of [...this.#peers.keys()]) this.disconnect(peer)
    this.awareness.destroy()
  }

  /**
   * Handles one frame from a peer; never throws, never applies what does not
   * verify. A peer's frames must be awaited one after another, as they arrive.
   */
  async receive(peer: string, frame: Uint8Array): Promise<ReceiveResult> {
    const known = this.#peers.get(peer)
    if (known === undefined) return this.#refuse(peer, 'unknown-peer')
    const parsed = parseSignedFrame(frame)
    if (parsed === undefined) return this.#refuse(peer, 'malformed')
    if (parsed.by !== known.did || !(await verifySignedFrame(parsed))) return this.#refuse(peer, 'bad-signature')
    // the peer may have gone, or been dropped, while the signature was checked
    if (this.#peers.get(peer) !== known) return this.#refuse(peer, 'unknown-peer')
    return this.#apply(peer, known, parsed.msg)
  }

  #apply(peer: string, known: PeerEntry, msg: Uint8Array): ReceiveResult {
    const kind = syncMessageKind(msg)
    if (kind === undefined) return this.#refuse(peer, 'malformed')
    if (kind === 'awareness') return this.#applyAwareness(peer, known, msg)
    if (kind === 'held') return this.#applyHeld(peer, known, msg)
    const writes = kind !== 'step1'
    if (writes && !this.#policy.canWrite(known.did)) return this.#refuse(peer, 'not-a-writer')
    if (!writes && !this.#policy.canRead(known.did)) return this.#refuse(peer, 'not-a-reader')
    const origin = new RemoteOrigin(peer)
    try {
      if (writes) {
        const update = checkUpdate(msg)
        const decoder = decoding.createDecoder(msg)
        decoding.readVarUint(decoder)
        syncProtocol.readSyncMessage(decoder, encoding.createEncoder(), this.doc, origin)
        addShown(known.shown, update)
      } else {
        this.#notifyVector(known, msg)
        // the answer to step 1 is a step 2, a write: readers do not send one
        if (this.#policy.canWrite(this.#identity.did)) this.#send([known], encodeStep2(this.#unsent(known)))
      }
    } catch {
      // a message that does not parse, or that Yjs refuses: the peer's fault, counted
      return this.#refuse(peer, 'malformed')
    }
    // only what changed the document is confirmed: confirming a confirmation's answer would never end
    if (this.#lastApplied === origin) this.#scheduleAck(known)
    return { ok: true }
  }

  #applyAwareness(peer: string, known: PeerEntry, msg: Uint8Array): ReceiveResult {
    if (!this.#policy.canRead(known.did)) return this.#refuse(peer, 'not-a-reader')
    let update: Uint8Array
    let clients: number[]
    try {
      update = readAwareness(msg)
      clients = checkAwarenessUpdate(update, known.did, (client) => this.#clientOwners.get(client))
    } catch {
      // unreadable, or speaking for someone else's presence
      return this.#refuse(peer, 'malformed')
    }
    for (const client of clients) {
      this.#clientOwners.set(client, known.did)
      known.clients.add(client)
    }
    awarenessProtocol.applyAwarenessUpdate(this.awareness, update, new RemoteOrigin(peer))
    return { ok: true }
  }

  /**
   * A peer's acknowledgement: it now holds this snapshot. Kept like a state
   * vector, and anything of ours it still lacks goes to it at once (a lost
   * frame is repaired without waiting for the next round).
   */
  #applyHeld(peer: string, known: PeerEntry, msg: Uint8Array): ReceiveResult {
    if (!this.#policy.canRead(known.did)) return this.#refuse(peer, 'not-a-reader')
    let held: ReturnType<typeof readHeld>
    try {
      held = readHeld(msg)
    } catch {
      // not a snapshot Yjs would write
      return this.#refuse(peer, 'malformed')
    }
    known.vector = Y.encodeStateVector(held.vector)
    // the channel is ordered: what it told us holds everything it sent before
    known.shown = nothingShown()
    this.#events.emit('holding', known.did, held)
    if (this.#policy.canWrite(this.#identity.did)) this.#push(known)
    return { ok: true }
  }

  #notifyVector(entry: PeerEntry, msg: Uint8Array): void {
    const { encoded, vector } = readStep1Vector(msg)
    entry.vector = encoded
    entry.shown = nothingShown()
    this.#events.emit('holding', entry.did, { vector })
  }

  /** Tells a peer what we now hold, gathering a burst of changes into one answer. */
  #scheduleAck(entry: PeerEntry): void {
    const send = (): void => {
      entry.ackTimer = undefined
      this.#send([entry], encodeHeld(this.doc))
    }
    if (this.#ackDelayMs === 0) send()
    else entry.ackTimer ??= setTimeout(send, this.#ackDelayMs)
  }

  #broadcast(msg: Uint8Array): void {
    this.#send([...this.#peers.values()], msg)
  }

  /**
   * Signs a message and hands the frame to each of these peers' links, after
   * every frame asked for before it. A peer that left, or may no longer read,
   * meanwhile is skipped.
   */
  #send(entries: PeerEntry[], msg: Uint8Array): void {
    // alone or offline: an edit is signed when a peer asks for it (sync step 2)
    if (entries.length === 0) return
    const frame = this.#signer.sign(msg)
    if (frame instanceof Uint8Array && this.#waiting === 0) {
      this.#deliver(entries, frame)
      return
    }
    this.#waiting++
    // its failure is handled in the outbox below, perhaps after this tick: not an unhandled rejection
    if (!(frame instanceof Uint8Array)) frame.catch(() => undefined)
    this.#outbox = this.#outbox
      .then(async () => this.#deliver(entries, await frame))
      // a frame that could not be signed is not sent: the next round (resync) repairs what it carried
      .catch(logFailure(log, 'signing a sync frame'))
      .finally(() => this.#waiting--)
  }

  #deliver(entries: PeerEntry[], frame: Uint8Array): void {
    for (const entry of entries) if (this.#peers.get(entry.peer) === entry && this.#policy.canRead(entry.did)) entry.link.send(frame)
  }

  /** Resolves once every frame asked for so far has been handed to its link. */
  sent(): Promise<void> {
    return this.#outbox
  }

  #refuse(peer: string, reason: SyncRefusal): ReceiveResult {
    this.#refusals.set(peer, this.refusals(peer) + 1)
    return { ok: false, reason }
  }
}
