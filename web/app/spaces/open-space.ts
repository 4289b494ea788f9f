import * as Y from 'yjs'
import type { Identity } from '../../../shared/identity/did-key.ts'
import type { SpaceRecord } from '../../../shared/spaces/space-record.ts'
import { SpaceReplica, type PeerHolding } from '../../sync/space-replica.ts'
import { Emitter, type Unsubscribe } from '../../../shared/events/emitter.ts'
import { missingChanges, unconfirmedChanges, withShown } from '../../sync/pending.ts'
import { MemberPolicy } from './member-policy.ts'
import { logOf } from '../../../shared/log.ts'
import type { KeptDoc } from '../../sync/doc-store.ts'

const log = logOf('spaces')

/** A file a space refers to; the bytes live in each member's own store. */
export interface SpaceFile {
  name: string
  type: string
  size: number
  addedBy: string
  addedAt: number
}

/** Presence a member shares while the space is open. */
export interface PresenceState {
  user: { did: string; name: string; color: string }
  /** The note being edited, if any. */
  note?: string
  /** Set by the editor binding: where the selection is, as Yjs relative positions. */
  cursor?: unknown
}

/** What an editor binds a note to: its shared text, everyone's presence, and an undo history of my own edits. */
export interface NoteBinding {
  text: Y.Text
  awareness: SpaceReplica['awareness']
  undoManager: Y.UndoManager
}

export interface OpenSpaceEvents {
  /** The document, presence or someone's part changed. */
  change: []
  /** Newer grants were checked: every DID's newest (DID → JWS), to keep with the space's record. */
  learn: [grants: Record<string, string>]
  /** A member told us what it holds. */
  holding: [did: string, holding: PeerHolding]
}

/**
 * One space held open: its record, its Yjs document (kept by the doc store),
 * the replica that syncs it and the policy that guards it. The document's
 * top-level names are part of the protocol (PROTOCOL.md).
 */
export class OpenSpace {
  record: SpaceRecord
  readonly doc: Y.Doc
  readonly replica: SpaceReplica
  readonly policy: MemberPolicy
  readonly #kept: KeptDoc
  /** My own snapshot, taken when first needed after each change. */
  #mine: Y.Snapshot | undefined
  /** The last member snapshot decoded (views ask for each member in turn, usually the same bytes). */
  #decoded: { encoded: Uint8Array; ds: Y.Snapshot['ds'] | undefined } | undefined

  readonly #events = new Emitter<OpenSpaceEvents>()
  /** Undoes what this space listens to, at close. */
  readonly #unlisten: Array<() => void> = []

  constructor(record: SpaceRecord, kept: KeptDoc, identity: Identity, init: { trustLevelOf: (did: string) => number }) {
    this.record = record
    this.#kept = kept
    this.doc = kept.doc
    this.policy = new MemberPolicy({
      spaceId: record.id,
      owner: record.owner,
      grants: this.grants,
      known: record.grants ?? {},
      privacy: () => (this.record.role === 'owner' ? this.record.privacy : undefined),
      trustLevelOf: init.trustLevelOf,
    })
    this.replica = new SpaceReplica(this.doc, identity, this.policy)
    const changed = (): void => this.#events.emit('change')
    const updated = (): void => {
      this.#mine = undefined
      changed()
    }
    this.doc.on('update', updated)
    this.replica.awareness.on('change', changed)
    this.#unlisten.push(
      () => this.doc.off('update', updated),
      () => this.replica.awareness.off('change', changed),
      this.policy.on('learn', (grants) => {
        // a newly checked grant may make me a writer (edits held back go out now) or admit a peer
        this.replica.resync()
        this.#events.emit('learn', grants)
        changed()
      }),
      this.replica.on('holding', (did, holding) => this.#events.emit('holding', did, holding)),
    )
  }

  on<K extends keyof OpenSpaceEvents>(name: K, listener: (...args: OpenSpaceEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  get grants(): Y.Map<string> {
    return this.doc.getMap<string>('members')
  }
  get addresses(): Y.Map<string> {
    return this.doc.getMap<string>('addresses')
  }
  get notes(): Y.Map<string> {
    return this.doc.getMap<string>('notes')
  }
  noteText(noteId: string): Y.Text {
    return this.doc.getText(`note:${noteId}`)
  }
  /** What an editor binds to: the note's text, everyone's presence, and an undo history of my own edits. */
  noteBinding(noteId: string): NoteBinding {
    const text = this.noteText(noteId)
    return { text, awareness: this.replica.awareness, undoManager: new Y.UndoManager(text) }
  }
  get files(): Y.Map<SpaceFile> {
    return this.doc.getMap<SpaceFile>('files')
  }
  get entries(): Y.Map<string> {
    return this.doc.getMap<string>('entries')
  }

  /** Everyone who belongs: the owner and every granted DID. */
  memberDids(): string[] {
    return [this.record.owner, ...[...this.policy.members().keys()].filter((d) => d !== this.record.owner)]
  }

  /** How many changes I hold that a member's last known copy lacks, deletions included. */
  pendingFor(did: string): number {
    const known = this.record.sync[did]
    this.#mine ??= Y.snapshot(this.doc)
    const vector = new Map(Object.entries(known?.vector ?? {}).map(([client, clock]) => [Number(client), clock]))
    const told = { vector, deletions: known?.snapshot === undefined ? undefined : this.#deletions(known.snapshot) }
    // its own keystrokes, which reached me before its next word of what it holds, are not mine to send it
    return unconfirmedChanges(this.#mine, withShown(told, this.replica.shownBy(did)))
  }

  /** How many changes a member's copy held, when it last said, that mine still lacks: catching up with it. */
  missingFrom(did: string): number {
    const known = this.record.sync[did]
    if (known === undefined) return 0
    this.#mine ??= Y.snapshot(this.doc)
    return missingChanges(this.#mine, new Map(Object.entries(known.vector).map(([client, clock]) => [Number(client), clock])))
  }

  #deletions(encoded: Uint8Array): Y.Snapshot['ds'] | undefined {
    if (this.#decoded?.encoded !== encoded) {
      let ds: Y.Snapshot['ds'] | undefined
      try {
        ds = Y.decodeSnapshot(encoded).ds
      } catch (err) {
        // kept from an earlier version, or damaged: deletions unknown
        log('a member snapshot in space %s could not be read: %e', this.record.id, err)
      }
      this.#decoded = { encoded, ds }
    }
    return this.#decoded.ds
  }

  online(did: string): boolean {
    return this.replica.peers().some((p) => p.did === did)
  }

  /** How a member syncs now: directly when any of its links is direct, through a relay otherwise; undefined when offline. */
  linkTo(did: string): 'direct' | 'relayed' | undefined {
    const paths = this.replica
      .peers()
      .filter((p) => p.did === did)
      .map((p) => p.path ?? 'relayed')
    return paths.includes('direct') ? 'direct' : paths[0]
  }

  /** Ends a member's links that run over connections other than `via`: it goes on over `via`. */
  keepOnly(did: string, via: string): void {
    for (const p of this.replica.peers()) if (p.did === did && p.via !== via) this.replica.end(p.peer)
  }

  /** Whether a member syncs over this connection. */
  onlineVia(did: string, via: string): boolean {
    return this.replica.peers().some((p) => p.did === did && p.via === via)
  }

  async close(): Promise<void> {
    this.#unlisten.forEach((undo) => undo())
    this.replica.destroy()
    await this.#kept.close()
  }
}
