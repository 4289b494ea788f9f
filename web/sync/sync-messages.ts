import * as Y from 'yjs'
import * as syncProtocol from 'y-protocols/sync'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as decoding from 'lib0/decoding'

/**
 * The messages of /cas-disot/space-sync/1.0.0 (PROTOCOL.md, "Space sync"),
 * each carried in a signed frame. Their first varuint says what they are: 0
 * and 1 as in y-websocket, 2 ours.
 */
export const MESSAGE_SYNC = 0
export const MESSAGE_AWARENESS = 1
/** "What I hold now": a Yjs snapshot (delete set and state vector), the acknowledgement of changes. */
export const MESSAGE_HELD = 2

/** Why a frame was not applied. Counted against the peer; the space is never touched. */
export type SyncRefusal = 'malformed' | 'bad-signature' | 'not-a-writer' | 'not-a-reader' | 'unknown-peer'

/** What a message is, read from its first varuints; undefined when it is none of ours. */
export type SyncMessageKind = 'step1' | 'step2' | 'update' | 'awareness' | 'held'

export function syncMessageKind(msg: Uint8Array): SyncMessageKind | undefined {
  try {
    const decoder = decoding.createDecoder(msg)
    const outer = decoding.readVarUint(decoder)
    if (outer === MESSAGE_AWARENESS) return 'awareness'
    if (outer === MESSAGE_HELD) return 'held'
    if (outer !== MESSAGE_SYNC) return undefined
    const inner = decoding.readVarUint(decoder)
    if (inner === syncProtocol.messageYjsSyncStep1) return 'step1'
    if (inner === syncProtocol.messageYjsSyncStep2) return 'step2'
    if (inner === syncProtocol.messageYjsUpdate) return 'update'
    return undefined
  } catch {
    // too short to say: none of ours
    return undefined
  }
}

/** Sync step 1: our state vector. */
export function encodeStep1(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeSyncStep1(encoder, doc)
  return encoding.toUint8Array(encoder)
}

/** Sync step 2: the update a peer lacks, the answer to its step 1. */
export function encodeStep2(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  encoding.writeVarUint(encoder, syncProtocol.messageYjsSyncStep2)
  encoding.writeVarUint8Array(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** A Yjs update, as a sync message. */
export function encodeUpdate(update: Uint8Array): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_SYNC)
  syncProtocol.writeUpdate(encoder, update)
  return encoding.toUint8Array(encoder)
}

/** What we hold now: a snapshot of the document. */
export function encodeHeld(doc: Y.Doc): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_HELD)
  encoding.writeVarUint8Array(encoder, Y.encodeSnapshot(Y.snapshot(doc)))
  return encoding.toUint8Array(encoder)
}

/** The presence of the given clients. */
export function encodeAwareness(awareness: awarenessProtocol.Awareness, clients: number[]): Uint8Array {
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, clients))
  return encoding.toUint8Array(encoder)
}

/** The state vector a step 1 carries; throws on anything else after it. */
export function readStep1Vector(msg: Uint8Array): { encoded: Uint8Array; vector: Map<number, number> } {
  const decoder = decoding.createDecoder(msg)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  const encoded = decoding.readVarUint8Array(decoder)
  const vector = Y.decodeStateVector(encoded)
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return { encoded, vector }
}

/** Parses a step 2 or update on its own first, so a bad one cannot half-apply; throws when it does not parse. Returns it decoded. */
export function checkUpdate(msg: Uint8Array): ReturnType<typeof Y.decodeUpdate> {
  const decoder = decoding.createDecoder(msg)
  decoding.readVarUint(decoder)
  decoding.readVarUint(decoder)
  const update = decoding.readVarUint8Array(decoder)
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return Y.decodeUpdate(update)
}

/** The snapshot a held message carries, checked; throws when it is not what Yjs itself would write. */
export function readHeld(msg: Uint8Array): { snapshot: Uint8Array; vector: Map<number, number> } {
  const decoder = decoding.createDecoder(msg)
  decoding.readVarUint(decoder)
  const snapshot = decoding.readVarUint8Array(decoder)
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return { snapshot, vector: checkSnapshot(Y.decodeSnapshot(snapshot)) }
}

/** The presence update an awareness message carries; throws on anything after it. */
export function readAwareness(msg: Uint8Array): Uint8Array {
  const decoder = decoding.createDecoder(msg)
  decoding.readVarUint(decoder)
  const update = decoding.readVarUint8Array(decoder)
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return update
}

/** A snapshot's parts must be whole, non-negative numbers. Returns its state vector. */
function checkSnapshot(snapshot: Y.Snapshot): Map<number, number> {
  const whole = (n: unknown): boolean => typeof n === 'number' && Number.isSafeInteger(n) && n >= 0
  for (const [client, clock] of snapshot.sv) if (!whole(client) || !whole(clock)) throw new Error('bad state vector')
  for (const [client, ranges] of snapshot.ds.clients) {
    if (!whole(client)) throw new Error('bad delete set')
    for (const r of ranges) if (!whole(r.clock) || !whole(r.len)) throw new Error('bad delete set')
  }
  return snapshot.sv
}

/** A peer's frame was refused (the reason says why); its stream is ended with this. */
export class SyncFrameRefusedError extends Error {
  static override name = 'SyncFrameRefusedError'
  constructor(readonly reason: SyncRefusal) {
    super(`A space sync frame was refused: ${reason}.`)
    this.name = 'SyncFrameRefusedError'
  }
}
