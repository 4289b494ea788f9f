import { describe, expect, it } from 'vitest'
import { hexToBytes } from '@noble/curves/utils.js'
import { ed25519, x25519 } from './noble-ed25519-v1.ts'

// what did-jwt calls, as @noble/curves 1.x answered it
describe("did-jwt's Ed25519 over the app's @noble/curves", () => {
  const msg = new TextEncoder().encode('header.payload')

  it('signs and verifies by RFC 8032 (its first test vector), and refuses a tampered message or signature', () => {
    const secret = hexToBytes('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')
    const key = ed25519.getPublicKey(secret)
    expect(key).toEqual(hexToBytes('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a'))
    const sig = ed25519.sign(new Uint8Array(0), secret)
    expect(sig).toEqual(
      hexToBytes(
        'e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b',
      ),
    )
    expect(ed25519.verify(sig, new Uint8Array(0), key)).toBe(true)
    expect(ed25519.verify(sig, msg, key)).toBe(false)
    const flipped = sig.slice()
    flipped[40] = (flipped[40] as number) ^ 1
    expect(ed25519.verify(flipped, new Uint8Array(0), key)).toBe(false)
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
