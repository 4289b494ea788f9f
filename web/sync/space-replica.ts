import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'
import * as cbor from '@ipld/dag-cbor'
import { ed25519 } from '@noble/curves/ed25519'
import { publicKeyFromDid, type Identity } from '../../shared/identity/did-key.ts'

/** Who may read and who may write a space, by DID. */
export interface SpacePolicy {
  canRead(did: string): boolean
  canWrite(did: string): boolean
}

/** Where a replica sends frames for one peer. */
export interface SyncLink {
  send(frame: Uint8Array): void
}

/** Why a frame was not applied. Counted against the peer; the space is never touched. */
export type SyncRefusal = 'malformed' | 'bad-signature' | 'not-a-writer' | 'not-a-reader' | 'unknown-peer'

export type ReceiveResult = { ok: true } | { ok: false; reason: SyncRefusal }

const REMOTE = Symbol('remote')
const MAX_FRAME_BYTES = 4 * 1024 * 1024

/**
 * One space's Yjs document, kept in sync with peers by y-protocols sync
 * messages. Every message that can change the document travels in a frame
 * signed by the DID that sent it, and is applied only when the signature holds
 * and that DID may write: every CRDT change is tied to a DID and checked
 * before it is applied.
 */
export class SpaceReplica {
  readonly doc: Y.Doc
  readonly #identity: Identity
  readonly #policy: SpacePolicy
  readonly #peers = new Map<string, { did: string; link: SyncLink }>()
  readonly #refusals = new Map<string, number>()

  constructor(doc: Y.Doc, identity: Identity, policy: SpacePolicy) {
    this.doc = doc
    this.#identity = identity
    this.#policy = policy
    doc.on('update', (update: Uint8Array, origin: unknown) => {
      if (origin === REMOTE) return
      const encoder = encoding.createEncoder()
      syncProtocol.writeUpdate(encoder, update)
      this.#broadcast(encoding.toUint8Array(encoder))
    })
  }

  /** Whether a DID may read this space at all. */
  admits(did: string): boolean {
    return this.#policy.canRead(did)
  }

  /** Starts syncing with a peer that proved `did`: sends our state vector (sync step 1). */
  connect(peer: string, did: string, link: SyncLink): void {
    if (!this.#policy.canRead(did)) return
    this.#peers.set(peer, { did, link })
    const encoder = encoding.createEncoder()
    syncProtocol.writeSyncStep1(encoder, this.doc)
    link.send(this.#frame(encoding.toUint8Array(encoder)))
  }

  disconnect(peer: string): void {
    this.#peers.delete(peer)
  }

  refusals(peer: string): number {
    return this.#refusals.get(peer) ?? 0
  }

  /** Handles one frame from a peer; never throws, never applies what does not verify. */
  receive(peer: string, frame: Uint8Array): ReceiveResult {
    const known = this.#peers.get(peer)
    if (known === undefined) return this.#refuse(peer, 'unknown-peer')
    let parsed: { by: string; msg: Uint8Array; sig: Uint8Array }
    try {
      if (frame.byteLength > MAX_FRAME_BYTES) throw new Error('too large')
      const value = cbor.decode<Record<string, unknown>>(frame)
      if (
        typeof value.by !== 'string' ||
        !(value.msg instanceof Uint8Array) ||
        !(value.sig instanceof Uint8Array) ||
        Object.keys(value).length !== 3
      ) {
        throw new Error('shape')
      }
      parsed = { by: value.by, msg: value.msg, sig: value.sig }
    } catch {
      return this.#refuse(peer, 'malformed')
    }
    if (parsed.by !== known.did) return this.#refuse(peer, 'bad-signature')
    try {
      if (!ed25519.verify(parsed.sig, parsed.msg, publicKeyFromDid(parsed.by))) return this.#refuse(peer, 'bad-signature')
    } catch {
      return this.#refuse(peer, 'bad-signature')
    }
    let type: number
    try {
      type = decoding.readVarUint(decoding.createDecoder(parsed.msg))
    } catch {
      return this.#refuse(peer, 'malformed')
    }
    const writes = type === syncProtocol.messageYjsSyncStep2 || type === syncProtocol.messageYjsUpdate
    if (type !== syncProtocol.messageYjsSyncStep1 && !writes) return this.#refuse(peer, 'malformed')
    if (writes && !this.#policy.canWrite(known.did)) return this.#refuse(peer, 'not-a-writer')
    if (!writes && !this.#policy.canRead(known.did)) return this.#refuse(peer, 'not-a-reader')
    try {
      if (writes) this.#checkUpdate(parsed.msg)
      const reply = encoding.createEncoder()
      syncProtocol.readSyncMessage(decoding.createDecoder(parsed.msg), reply, this.doc, REMOTE)
      if (encoding.length(reply) > 0) known.link.send(this.#frame(encoding.toUint8Array(reply)))
    } catch {
      return this.#refuse(peer, 'malformed')
    }
    return { ok: true }
  }

  /** Parses the update on a scratch document first, so a bad one cannot half-apply. */
  #checkUpdate(msg: Uint8Array): void {
    const decoder = decoding.createDecoder(msg)
    decoding.readVarUint(decoder)
    const update = decoding.readVarUint8Array(decoder)
    if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
    Y.decodeUpdate(update)
  }

  #frame(msg: Uint8Array): Uint8Array {
    return cbor.encode({ by: this.#identity.did, msg, sig: ed25519.sign(msg, this.#identity.seed) })
  }

  #broadcast(msg: Uint8Array): void {
    const frame = this.#frame(msg)
    for (const { did, link } of this.#peers.values()) if (this.#policy.canRead(did)) link.send(frame)
  }

  #refuse(peer: string, reason: SyncRefusal): ReceiveResult {
    this.#refusals.set(peer, this.refusals(peer) + 1)
    return { ok: false, reason }
  }
}
