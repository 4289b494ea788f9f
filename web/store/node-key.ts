import { generateKeyPair, privateKeyFromProtobuf, privateKeyFromRaw, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { AppDb } from './app-db.ts'

const KEY = 'libp2p-private-key'

/** The browser's libp2p key, kept so its peer ID (and so its share links) survive reloads. */
export async function loadOrCreateNodeKey(db: AppDb): Promise<PrivateKey> {
  const stored = await db.get('settings', KEY)
  if (stored instanceof Uint8Array) return privateKeyFromProtobuf(stored)
  const key = (await generatedNatively()) ?? (await generateKeyPair('Ed25519'))
  await db.put('settings', privateKeyToProtobuf(key), KEY)
  return key
}

/**
 * An Ed25519 key made by the platform (WebCrypto), or undefined on a platform
 * without it. libp2p's own generator derives the public key in JavaScript,
 * whose first use builds tables: tens of milliseconds on a new member's first
 * visit, while it joins.
 */
async function generatedNatively(): Promise<PrivateKey | undefined> {
  let pair: CryptoKeyPair
  try {
    pair = await crypto.subtle.generateKey({ name: 'Ed25519' }, true, ['sign', 'verify'])
  } catch (err) {
    if (err instanceof DOMException && err.name === 'NotSupportedError') return undefined
    throw err
  }
  const [pkcs8, publicKey] = await Promise.all([
    crypto.subtle.exportKey('pkcs8', pair.privateKey),
    crypto.subtle.exportKey('raw', pair.publicKey),
  ])
  // libp2p's raw Ed25519 private key: the 32-byte seed (the end of the PKCS #8), then the public key
  const raw = new Uint8Array(64)
  raw.set(new Uint8Array(pkcs8).subarray(-32))
  raw.set(new Uint8Array(publicKey), 32)
  return privateKeyFromRaw(raw)
}
