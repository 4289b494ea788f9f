import { createJWT, ES256KSigner, EdDSASigner } from 'did-jwt'
import { fromString, toString } from 'uint8arrays'
import { identityFromSeed } from '../identity/did-key.ts'
import { signJwt } from '../identity/jws.ts'
import { createEntry, ENTRY_KIND, type EntryDraft } from '../entries/entry.ts'
import { flipSignatureBit, replaceInPayload } from './tamper.ts'

/**
 * Forged, tampered or foreign tokens presented as entries, each with the
 * error verification must refuse it with. Shared by the format tests and by
 * the use-case tests that check nothing of them is stored.
 */
export type Forgery = [label: string, make: () => Promise<string>, errorName: string]

export const alice = identityFromSeed(fromString('11'.repeat(32), 'base16'))
export const bob = identityFromSeed(fromString('22'.repeat(32), 'base16'))
export const HELLO = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'
export const EMPTY = 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku'

export const draft: EntryDraft = {
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

export const FORGERIES: Forgery[] = [
  [
    'a changed header (typ)',
    async () => {
      const [h, p, s] = parts((await createEntry(alice, draft)).jws)
      const header = JSON.parse(b64(h)) as Record<string, string>
      return [enc(JSON.stringify({ ...header, typ: 'JWU' })), p, s].join('.')
    },
    'SignatureInvalidError',
  ],
  [
    'a changed payload (title)',
    async () => {
      return replaceInPayload((await createEntry(alice, draft)).jws, '"Hello"', '"Hellp"')
    },
    'SignatureInvalidError',
  ],
  [
    'a flipped bit in the signature',
    async () => {
      return flipSignatureBit((await createEntry(alice, draft)).jws)
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
