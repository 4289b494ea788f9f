import { base58btc } from 'multiformats/bases/base58'
import { base64url } from 'multiformats/bases/base64'
import { ed25519 } from '@noble/curves/ed25519.js'
import { InvalidDidError } from './errors.ts'

/** A did:key of an Ed25519 public key: `did:key:z6Mk…`. */
export type Did = string & { readonly __brand: 'Did' }

/** Multicodec ed25519-pub (0xed), as its unsigned-varint bytes. */
const ED25519_PUB_PREFIX = Uint8Array.of(0xed, 0x01)
const ED25519_PUBLIC_KEY_BYTES = 32
const DID_KEY = 'did:key:'

export function didFromPublicKey(publicKey: Uint8Array): Did {
  if (publicKey.byteLength !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidDidError(`(${publicKey.byteLength}-byte key)`, 'key-length')
  const bytes = new Uint8Array(ED25519_PUB_PREFIX.byteLength + publicKey.byteLength)
  bytes.set(ED25519_PUB_PREFIX)
  bytes.set(publicKey, ED25519_PUB_PREFIX.byteLength)
  return `${DID_KEY}${base58btc.encode(bytes)}` as Did
}

/** The Ed25519 public key a did:key names; a typed error for anything else. */
export function publicKeyFromDid(did: string): Uint8Array {
  if (!did.startsWith(DID_KEY) || did.length === DID_KEY.length) throw new InvalidDidError(did, 'not-did-key')
  const multibase = did.slice(DID_KEY.length).split('#')[0] as string
  let bytes: Uint8Array
  try {
    bytes = base58btc.decode(multibase)
  } catch (err) {
    throw new InvalidDidError(did, 'multibase', { cause: err })
  }
  if (bytes[0] !== ED25519_PUB_PREFIX[0] || bytes[1] !== ED25519_PUB_PREFIX[1]) throw new InvalidDidError(did, 'multicodec')
  const key = bytes.subarray(ED25519_PUB_PREFIX.byteLength)
  if (key.byteLength !== ED25519_PUBLIC_KEY_BYTES) throw new InvalidDidError(did, 'key-length')
  return key
}

export function parseDid(did: string): Did {
  publicKeyFromDid(did)
  return did as Did
}

/** An Ed25519 signing identity. The seed is the private key: it leaves the device only in an encrypted backup. */
export interface Identity {
  did: Did
  publicKey: Uint8Array
  seed: Uint8Array
}

export function identityFromSeed(seed: Uint8Array): Identity {
  checkSeed(seed)
  return identityOf(seed, ed25519.getPublicKey(seed))
}

function checkSeed(seed: Uint8Array): void {
  if (seed.byteLength !== 32) throw new Error('An Ed25519 seed is 32 bytes')
}

function identityOf(seed: Uint8Array, publicKey: Uint8Array): Identity {
  return { did: didFromPublicKey(publicKey), publicKey, seed: seed.slice() }
}

/** PKCS #8 of an Ed25519 private key (RFC 8410): this fixed prefix, then the 32-byte seed. */
const PKCS8_ED25519_PREFIX = Uint8Array.of(0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x04, 0x22, 0x04, 0x20)

/**
 * The seed as a key of the platform's Ed25519 (WebCrypto), or undefined on a
 * platform without it. `extractable` lets its public half be exported.
 */
export async function platformSigningKey(seed: Uint8Array, extractable = false): Promise<CryptoKey | undefined> {
  checkSeed(seed)
  const pkcs8 = new Uint8Array(PKCS8_ED25519_PREFIX.byteLength + seed.byteLength)
  pkcs8.set(PKCS8_ED25519_PREFIX)
  pkcs8.set(seed, PKCS8_ED25519_PREFIX.byteLength)
  try {
    return await crypto.subtle.importKey('pkcs8', pkcs8, { name: 'Ed25519' }, extractable, ['sign'])
  } catch (err) {
    // a platform without Ed25519 in WebCrypto: the JavaScript one does it
    if (err instanceof Error && err.name === 'NotSupportedError') return undefined
    throw err
  } finally {
    pkcs8.fill(0)
  }
}

/**
 * identityFromSeed with the public key derived by the platform's Ed25519
 * (WebCrypto), where it has one. At start this spares the JavaScript Ed25519
 * its one-time tables, tens of milliseconds on a slow machine, which the first
 * signature pays later, after the app is on screen.
 */
export async function identityFromSeedNatively(seed: Uint8Array): Promise<Identity> {
  const key = await platformSigningKey(seed, true)
  const x = key === undefined ? undefined : (await crypto.subtle.exportKey('jwk', key)).x
  return x === undefined ? identityFromSeed(seed) : identityOf(seed, base64url.baseDecode(x))
}

export function generateIdentity(): Identity {
  return identityFromSeed(crypto.getRandomValues(new Uint8Array(32)))
}
