import { describe, expect, it } from 'vitest'
import { base58btc } from 'multiformats/bases/base58'
import { fromString } from 'uint8arrays'
import { didFromPublicKey, identityFromSeed, identityFromSeedNatively, publicKeyFromDid } from './did-key.ts'
import { createDidResolver } from './resolver.ts'

// From the did:key spec's test vectors (test-vectors/ed25519-x25519.json).
const SPEC_VECTORS = [
  {
    seed: '00'.repeat(32),
    did: 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp',
    publicKeyBase58: '4zvwRjXUKGfvwnParsHAS3HuSVzV5cA4McphgmoCtajS',
  },
  {
    seed: '00'.repeat(31) + '01',
    did: 'did:key:z6MkjchhfUsD6mmvni8mCdXHw216Xrm9bQe2mBH1P5RDjVJG',
    publicKeyBase58: '6ASf5EcmmEHTgDJ4X4ZT5vT6iHVJBXPg5AN5YoTCpGWt',
  },
  {
    seed: '00'.repeat(31) + '02',
    did: 'did:key:z6MknGc3ocHs3zdPiJbnaaqDi58NGb4pk1Sp9WxWufuXSdxf',
    publicKeyBase58: '8pM1DN3RiT8vbom5u1sNryaNT1nyL8CTTW3b5PwWXRBH',
  },
  {
    seed: '00'.repeat(31) + '04',
    did: 'did:key:z6MkwW6aqMnjgrhJXFUko3NnZPGzVpkNzhYK7yEhnsibmLwL',
    publicKeyBase58: 'J3qYF7YJMKCqQke47UQwiHizgFUXapHxRxKmxbkar89x',
  },
]

describe('did:key (Ed25519)', () => {
  for (const v of SPEC_VECTORS) {
    it(`matches the spec vector ${v.did.slice(0, 20)}…`, async () => {
      const identity = identityFromSeed(fromString(v.seed, 'base16'))
      expect(identity.did).toBe(v.did)
      expect(base58btc.encode(identity.publicKey).slice(1)).toBe(v.publicKeyBase58)
      expect(publicKeyFromDid(v.did)).toEqual(identity.publicKey)
      expect(didFromPublicKey(publicKeyFromDid(v.did))).toBe(v.did)
      const { didDocument } = await createDidResolver().resolve(v.did)
      expect(didDocument?.verificationMethod?.[0]).toMatchObject({ type: 'Ed25519VerificationKey2018', publicKeyBase58: v.publicKeyBase58 })
    })

    it(`derives the same identity natively (WebCrypto) for ${v.did.slice(0, 20)}…`, async () => {
      const seed = fromString(v.seed, 'base16')
      const identity = await identityFromSeedNatively(seed)
      expect(identity.did).toBe(v.did)
      expect(identity.publicKey).toEqual(identityFromSeed(seed).publicKey)
      expect(identity.seed).toEqual(seed)
    })
  }

  it('derives natively what JavaScript Ed25519 derives, for random seeds', async () => {
    for (let i = 0; i < 20; i++) {
      const seed = crypto.getRandomValues(new Uint8Array(32))
      expect(await identityFromSeedNatively(seed)).toEqual(identityFromSeed(seed))
    }
  })

  it('refuses a seed that is not 32 bytes, natively too', async () => {
    await expect(identityFromSeedNatively(new Uint8Array(31))).rejects.toThrow('An Ed25519 seed is 32 bytes')
  })

  const key = publicKeyFromDid(SPEC_VECTORS[0]!.did)
  const withPrefix = (prefix: number[], k: Uint8Array) => `did:key:${base58btc.encode(Uint8Array.from([...prefix, ...k]))}`
  const malformed: Array<[string, string, string]> = [
    ['another method', 'did:web:example.org', 'not-did-key'],
    ['an empty key', 'did:key:', 'not-did-key'],
    ['base64 multibase', `did:key:m${Buffer.from([0xed, 0x01, ...key]).toString('base64')}`, 'multibase'],
    ['characters outside base58', 'did:key:z6Mk0OIl', 'multibase'],
    ['a secp256k1 multicodec', withPrefix([0xe7, 0x01], Uint8Array.from([2, ...key])), 'multicodec'],
    ['an X25519 multicodec', withPrefix([0xec, 0x01], key), 'multicodec'],
    ['a 31-byte key', withPrefix([0xed, 0x01], key.subarray(0, 31)), 'key-length'],
    ['a 33-byte key', withPrefix([0xed, 0x01], Uint8Array.from([...key, 0])), 'key-length'],
  ]
  for (const [label, did, reason] of malformed) {
    it(`refuses ${label} (${reason})`, () => {
      expect(() => publicKeyFromDid(did)).toThrowError(expect.objectContaining({ name: 'InvalidDidError', reason }))
    })
  }

  it('resolves a malformed did:key to invalidDid, not a document', async () => {
    const result = await createDidResolver().resolve(malformed[6]![1])
    expect(result.didDocument).toBeNull()
    expect(result.didResolutionMetadata.error).toBe('invalidDid')
  })
})
