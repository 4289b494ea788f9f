import * as cbor from '@ipld/dag-cbor'
import { ed25519 } from '@noble/curves/ed25519.js'
import { platformSigningKey, publicKeyFromDid, type Identity } from '../identity/did-key.ts'
import { MAX_SYNC_FRAME_BYTES } from './limits.ts'

/**
 * The envelope of every space sync message (PROTOCOL.md, "Space sync"): the
 * message, the DID that sent it, and that DID's Ed25519 signature over it.
 */
export interface SignedFrame {
  by: string
  msg: Uint8Array
  sig: Uint8Array
}

export function encodeSignedFrame(identity: Identity, msg: Uint8Array): Uint8Array {
  return cbor.encode({ by: identity.did, msg, sig: ed25519.sign(msg, identity.seed) })
}

/**
 * Messages from this size are signed by the platform's Ed25519, off the main
 * thread: 1.1 ms against 10.3 ms in JavaScript for 200 KB. Smaller ones (an
 * edit, a cursor) are signed at once, about 1 ms, and sent before the editor
 * draws the keystroke: an edit reached the other member in 8.0 ms so, against
 * 9.1 ms when its frame waited for the platform (medians of 160, side by side).
 */
export const NATIVE_SIGNING_FROM_BYTES = 16 * 1024

/** Whether the JavaScript Ed25519 has built its tables; until then FrameSigner signs every frame natively (see warmFrameSigning). */
let javaScriptWarm = false

/**
 * Builds the JavaScript Ed25519's tables, which its first signature would
 * build: tens of milliseconds on a slow machine. A page calls this when idle;
 * until then every frame is signed by the platform, so a new member's way into
 * a space never waits for them.
 */
export function warmFrameSigning(): void {
  if (javaScriptWarm) return
  ed25519.getPublicKey(new Uint8Array(32))
  javaScriptWarm = true
}

/** Signs frames as one identity. Ed25519 is deterministic, so both ways make the frames encodeSignedFrame makes. */
export class FrameSigner {
  readonly #identity: Identity
  #key: Promise<CryptoKey | undefined> | undefined

  constructor(identity: Identity) {
    this.#identity = identity
  }

  /** The frame: at once for a small message once the JavaScript Ed25519 is warm, later otherwise. */
  sign(msg: Uint8Array): Uint8Array | Promise<Uint8Array> {
    if (javaScriptWarm && msg.byteLength < NATIVE_SIGNING_FROM_BYTES) return encodeSignedFrame(this.#identity, msg)
    return this.#signNatively(msg)
  }

  async #signNatively(msg: Uint8Array): Promise<Uint8Array> {
    const key = await (this.#key ??= platformSigningKey(this.#identity.seed))
    if (key === undefined) return encodeSignedFrame(this.#identity, msg)
    const sig = new Uint8Array(await crypto.subtle.sign('Ed25519', key, msg as Uint8Array<ArrayBuffer>))
    return cbor.encode({ by: this.#identity.did, msg, sig })
  }
}

/** The frame, or undefined when it is not exactly one (too large, not DAG-CBOR, a field missing, wrong or extra). */
export function parseSignedFrame(frame: Uint8Array): SignedFrame | undefined {
  if (frame.byteLength > MAX_SYNC_FRAME_BYTES) return undefined
  let value: Record<string, unknown>
  try {
    value = cbor.decode<Record<string, unknown>>(frame)
  } catch {
    // not DAG-CBOR: not a frame
    return undefined
  }
  if (typeof value !== 'object' || value === null) return undefined
  if (typeof value.by !== 'string' || !(value.msg instanceof Uint8Array) || !(value.sig instanceof Uint8Array)) return undefined
  if (Object.keys(value).length !== 3) return undefined
  return { by: value.by, msg: value.msg, sig: value.sig }
}

/** Imported verification keys by DID (a space has few members); false once the platform has shown it lacks Ed25519. */
const platformKeys = new Map<string, Promise<CryptoKey>>()
let platformEd25519 = true

/**
 * Whether the frame's signature is its sender's: checked by the platform's
 * Ed25519 where it has one (Chromium, Node: about 0.2 ms against 1 ms in
 * JavaScript), by @noble/curves otherwise. Both refuse non-canonical
 * signatures (no ZIP-215 leniency); a `by` that is not a did:key fails.
 */
export async function verifySignedFrame(frame: SignedFrame): Promise<boolean> {
  if (!platformEd25519 || frame.sig.byteLength !== 64) return verifyInJavaScript(frame)
  let key = platformKeys.get(frame.by)
  try {
    if (key === undefined) {
      key = crypto.subtle.importKey('raw', publicKeyFromDid(frame.by) as Uint8Array<ArrayBuffer>, { name: 'Ed25519' }, false, ['verify'])
      platformKeys.set(frame.by, key)
    }
    return await crypto.subtle.verify('Ed25519', await key, frame.sig as Uint8Array<ArrayBuffer>, frame.msg as Uint8Array<ArrayBuffer>)
  } catch (err) {
    platformKeys.delete(frame.by)
    // a DID that is not a key fails either way; a platform without Ed25519 falls back for good
    if (err instanceof DOMException && err.name === 'NotSupportedError') platformEd25519 = false
    return verifyInJavaScript(frame)
  }
}

function verifyInJavaScript(frame: SignedFrame): boolean {
  try {
    return ed25519.verify(frame.sig, frame.msg, publicKeyFromDid(frame.by), { zip215: false })
  } catch {
    // not a did:key, or a signature of the wrong shape: nobody's signature
    return false
  }
}
