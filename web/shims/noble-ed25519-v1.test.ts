import { describe, expect, it } from 'vitest'
import { ed25519 as app } from '@noble/curves/ed25519.js'
import { ed25519, x25519 } from './noble-ed25519-v1.ts'

// what did-jwt calls, as @noble/curves 1.x answered it
describe("did-jwt's Ed25519 over the app's @noble/curves", () => {
  const secret = new Uint8Array(32).fill(7)
  const msg = new TextEncoder().encode('header.payload')

  it('signs as the app does and verifies its own and tampered signatures as before', () => {
    const sig = ed25519.sign(msg, secret)
    expect(sig).toEqual(app.sign(msg, secret))
    const key = ed25519.getPublicKey(secret)
    expect(ed25519.verify(sig, msg, key)).toBe(true)
    expect(ed25519.verify(sig, new TextEncoder().encode('header.payloaD'), key)).toBe(false)
    const flipped = sig.slice()
    flipped[40] = (flipped[40] as number) ^ 1
    expect(ed25519.verify(flipped, msg, key)).toBe(false)
  })

  it("keeps 1.x's default rule, ZIP-215 (the app's frames ask for strict checks)", () => {
    // the identity point as key and R, s = 0: holds under ZIP-215, refused by RFC 8032 strict checks
    const identity = new Uint8Array(32)
    identity[0] = 1
    const sig = new Uint8Array([...identity, ...new Uint8Array(32)])
    expect(ed25519.verify(sig, msg, identity)).toBe(true)
    expect(ed25519.verify(sig, msg, identity, { zip215: false })).toBe(false)
  })

  it("makes X25519 keys under 1.x's name that agree on a secret", () => {
    const [a, b] = [x25519.utils.randomPrivateKey(), x25519.utils.randomPrivateKey()]
    expect(a).toHaveLength(32)
    expect(x25519.getSharedSecret(a, x25519.getPublicKey(b))).toEqual(x25519.getSharedSecret(b, x25519.getPublicKey(a)))
  })
})
