import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@libp2p/crypto/keys'
import type { PrivateKey } from '@libp2p/interface'
import type { AppDb } from './app-db.ts'

const KEY = 'libp2p-private-key'

/** The browser's libp2p key, kept so its peer ID (and so its share links) survive reloads. */
export async function loadOrCreateNodeKey(db: AppDb): Promise<PrivateKey> {
  const stored = await db.get('settings', KEY)
  if (stored instanceof Uint8Array) return privateKeyFromProtobuf(stored)
  const key = await generateKeyPair('Ed25519')
  await db.put('settings', privateKeyToProtobuf(key), KEY)
  return key
}
