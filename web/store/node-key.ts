import { privateKeyFromProtobuf, privateKeyFromRaw, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import { identityFromSeedNatively } from '../../shared/identity/did-key.ts'
import type { AppDb } from './app-db.ts'

const KEY = 'libp2p-private-key'

/** The browser's libp2p key, kept so its peer ID (and so its share links) survive reloads. */
export async function loadOrCreateNodeKey(db: AppDb): Promise<PrivateKey> {
  const stored = await db.get('settings', KEY)
  if (stored instanceof Uint8Array) return privateKeyFromProtobuf(stored)
  const key = await generateNodeKey()
  await db.put('settings', privateKeyToProtobuf(key), KEY)
  return key
}

/**
 * A new Ed25519 key, its public half derived by the platform where it can, as
 * the identity's is. libp2p's own generator derives it in JavaScript, whose
 * first use builds tables: tens of milliseconds on a new member's first visit,
 * while it joins.
 */
async function generateNodeKey(): Promise<PrivateKey> {
  const seed = crypto.getRandomValues(new Uint8Array(32))
  const { publicKey } = await identityFromSeedNatively(seed)
  // libp2p's raw Ed25519 private key: the 32-byte seed, then the public key
  const raw = new Uint8Array(64)
  raw.set(seed)
  raw.set(publicKey, 32)
  return privateKeyFromRaw(raw)
}
