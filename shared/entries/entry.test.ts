import { describe, expect, it } from 'vitest'
import { createJWT, ES256KSigner, EdDSASigner } from 'did-jwt'
import { fromString, toString } from 'uint8arrays'
import { identityFromSeed } from '../identity/did-key.ts'
import { parseContentId } from '../cas/cid.ts'
import { signJwt } from '../identity/jws.ts'
import { createEntry, verifyEntry, ENTRY_KIND, type EntryDraft } from './entry.ts'

const alice = identityFromSeed(fromString('11'.repeat(32), 'base16'))
const bob = identityFromSeed(fromString('22'.repeat(32), 'base16'))
const HELLO = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'
const EMPTY = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'

const draft: EntryDraft = {
  type: 'metadata',
  content: HELLO,
  title: 'Hello',
  description: 'a greeting',
  meta: {
    references: [{ cid: EMPTY, rel: 'attachment', mime: 'text/plain' }],
    authors: [{ did: bob.did, role: 'reviewer' }],
    version: '1.0',
    changes: 'first',
  },
}

const b64 = (s: string) => toString(fromString(s, 'base64url'), 'utf8')
const enc = (s: string) => toString(fromString(s, 'utf8'), 'base64url')
const parts = (jws: string) => jws.split('.') as [string, string, string]
function flipBit(segment: string, index: number): string {
  const bytes = fromString(segment, 'base64url')
  bytes[index] = (bytes[index] as number) ^ 0x01
  return toString(bytes, 'base64url')
}

describe('DISOT entries: a valid control set is accepted', () => {
  const controls: Array<[string, EntryDraft]> = [
    ['a minimal document', { type: 'document', content: HELLO, title: 'Doc' }],
    ['a metadata entry with everything', draft],
    ['an image', { type: 'image', content: EMPTY, title: 'Pixel', description: '' }],
    ['a blog post', { type: 'blog-post', content: HELLO, title: 'Post' }],
    ['a signature entry with a prev', { type: 'signature', content: HELLO, title: 'Signed', prev: EMPTY }],
    [
      'a hex content address',
      { type: 'document', content: 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9', title: 'Hex' },
    ],
  ]
  for (const [label, d] of controls) {
    it(label, async () => {
      const signed = await createEntry(alice, d)
      const again = await verifyEntry(signed.jws, { expectedCid: signed.cid })
      expect(again.entry.issuer).toBe(alice.did)
      expect(again.entry.content).toBe(parseContentId(d.content).toString())
      expect(again.cid).toMatch(/^bafkrei/)
      expect(again.entry.signedAt).toBeGreaterThan(1_700_000_000)
    })
  }
})

describe('DISOT entries: the forgery matrix', () => {
  const cases: Array<[string, () => Promise<string>, string]> = [
    [
      'a flipped bit in the header',
      async () => {
        const [h, p, s] = parts((await createEntry(alice, draft)).jws)
        const header = JSON.parse(b64(h)) as Record<string, string>
        return [enc(JSON.stringify({ ...header, typ: 'JWU' })), p, s].join('.')
      },
      'SignatureInvalidError',
    ],
    [
      'a flipped bit in the payload',
      async () => {
        const [h, p, s] = parts((await createEntry(alice, draft)).jws)
        return [h, enc(b64(p).replace('"Hello"', '"Hellp"')), s].join('.')
      },
      'SignatureInvalidError',
    ],
    [
      'a flipped bit in the signature',
      async () => {
        const [h, p, s] = parts((await createEntry(alice, draft)).jws)
        return [h, p, flipBit(s, 10)].join('.')
      },
      'SignatureInvalidError',
    ],
    [
      'a signature swapped in from another entry',
      async () => {
        const [h, p] = parts((await createEntry(alice, draft)).jws)
        const [, , other] = parts((await createEntry(alice, { ...draft, title: 'Other' })).jws)
        return [h, p, other].join('.')
      },
      'SignatureInvalidError',
    ],
    [
      "another DID's iss with a valid signature from a different key",
      async () => await createJWT({ kind: ENTRY_KIND, v: 1, ...draft }, { issuer: alice.did, signer: EdDSASigner(bob.seed), alg: 'EdDSA' }),
      'SignatureInvalidError',
    ],
    [
      'alg none',
      async () => {
        const [, p] = parts((await createEntry(alice, draft)).jws)
        return [enc(JSON.stringify({ alg: 'none', typ: 'JWT' })), p, ''].join('.')
      },
      'UnsupportedAlgorithmError',
    ],
    [
      'alg HS256',
      async () => {
        const [, p] = parts((await createEntry(alice, draft)).jws)
        const h = enc(JSON.stringify({ alg: 'HS256', typ: 'JWT' }))
        const key = await crypto.subtle.importKey('raw', new Uint8Array(32), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
        const mac = new Uint8Array(await crypto.subtle.sign('HMAC', key, new TextEncoder().encode(`${h}.${p}`)))
        return [h, p, toString(mac, 'base64url')].join('.')
      },
      'UnsupportedAlgorithmError',
    ],
    [
      'alg ES256K',
      async () =>
        await createJWT(
          { kind: ENTRY_KIND, v: 1, ...draft },
          { issuer: alice.did, signer: ES256KSigner(fromString('33'.repeat(32), 'base16')), alg: 'ES256K' },
        ),
      'UnsupportedAlgorithmError',
    ],
    [
      'a peer-authentication token',
      async () => await signJwt(alice, { kind: 'cas-disot/auth', aud: bob.did, nonce: 'abc' }),
      'NotAnEntryError',
    ],
    [
      'a verifiable credential',
      async () =>
        await signJwt(alice, {
          sub: bob.did,
          vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: { trust: 60 } },
        }),
      'NotAnEntryError',
    ],
    ['a broken prev', async () => await signJwt(alice, { kind: ENTRY_KIND, v: 1, ...draft, prev: 'bafyNOTACID' }), 'InvalidPrevError'],
    [
      'a broken content CID',
      async () => await signJwt(alice, { kind: ENTRY_KIND, v: 1, ...draft, content: 'Qm-nope' }),
      'InvalidContentCidError',
    ],
    ['an unknown entry type', async () => await signJwt(alice, { kind: ENTRY_KIND, v: 1, ...draft, type: 'spell' }), 'MalformedEntryError'],
    [
      'an unexpected claim',
      async () => await signJwt(alice, { kind: ENTRY_KIND, v: 1, ...draft, exp: 4_000_000_000 }),
      'MalformedEntryError',
    ],
    ['not a JWS at all', async () => 'hello.world', 'MalformedJwsError'],
    [
      'an issuer that is not a did:key',
      async () =>
        await createJWT(
          { kind: ENTRY_KIND, v: 1, ...draft },
          { issuer: 'did:web:example.org', signer: EdDSASigner(alice.seed), alg: 'EdDSA' },
        ),
      'InvalidDidError',
    ],
  ]
  for (const [label, make, errorName] of cases) {
    it(`refuses ${label} (${errorName})`, async () => {
      expect.assertions(1)
      await expect(verifyEntry(await make())).rejects.toMatchObject({ name: errorName })
    })
  }

  it('refuses an entry whose bytes do not match the CID it was fetched under', async () => {
    const a = await createEntry(alice, draft)
    const b = await createEntry(alice, { ...draft, title: 'B' })
    await expect(verifyEntry(a.jws, { expectedCid: b.cid })).rejects.toMatchObject({ name: 'EntryCidMismatchError' })
  })

  it('refuses to sign a malformed draft', async () => {
    await expect(createEntry(alice, { ...draft, title: '  ' })).rejects.toMatchObject({ name: 'MalformedEntryError' })
    await expect(createEntry(alice, { ...draft, content: 'nope' })).rejects.toMatchObject({ name: 'InvalidContentCidError' })
    await expect(createEntry(alice, { ...draft, meta: { authors: [{ did: 'did:key:zBAD', role: 'creator' }] } })).rejects.toMatchObject({
      name: 'MalformedEntryError',
    })
  })
})
