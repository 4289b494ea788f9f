import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import { openAppDb } from './app-db.ts'
import { loadOrCreateNodeKey } from './node-key.ts'

let n = 0
const freshDb = async () => await openAppDb(`node-key-test-${n++}`)

describe("the browser's libp2p key", () => {
  it('is made once and kept: the same peer ID after a reload', async () => {
    const db = await freshDb()
    const made = await loadOrCreateNodeKey(db)
    const again = await loadOrCreateNodeKey(db)
    expect(again.publicKey.toString()).toBe(made.publicKey.toString())
    expect(await freshDb().then(async (other) => (await loadOrCreateNodeKey(other)).publicKey.toString())).not.toBe(
      made.publicKey.toString(),
    )
  })

  it('is a whole Ed25519 pair: its public half is its seed’s, and what it signs verifies', async () => {
    const key = await loadOrCreateNodeKey(await freshDb())
    expect(key.type).toBe('Ed25519')
    const seed = key.raw.subarray(0, 32)
    expect(ed25519.getPublicKey(seed)).toEqual(key.publicKey.raw)
    const message = new TextEncoder().encode('a Noise handshake payload')
    const signature = await key.sign(message)
    expect(ed25519.verify(signature, message, key.publicKey.raw)).toBe(true)
    expect(await key.publicKey.verify(message, signature)).toBe(true)
  })
})
