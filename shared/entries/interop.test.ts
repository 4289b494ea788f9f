// Anyone can check our entries with standard tools: this test imports neither
// our JWS wrappers nor our did:key resolver, only did-jwt and key-did-resolver.
import { describe, expect, it } from 'vitest'
import { verifyJWT } from 'did-jwt'
import { Resolver } from 'did-resolver'
import { getResolver } from 'key-did-resolver'
import { fromString } from 'uint8arrays'
import { identityFromSeed } from '../identity/did-key.ts'
import { createEntry } from './entry.ts'

describe('entries verify with plain did-jwt and key-did-resolver', () => {
  it('verifies, names the author, and exposes the content CID', async () => {
    const author = identityFromSeed(fromString('44'.repeat(32), 'base16'))
    const { jws } = await createEntry(author, {
      type: 'document',
      content: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
      title: 'Interop',
    })
    const resolver = new Resolver(getResolver())
    const verified = await verifyJWT(jws, { resolver })
    expect(verified.issuer).toBe(author.did)
    expect(verified.payload).toMatchObject({
      kind: 'cas-disot/entry',
      content: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
    })
  })

  it('and the same tools reject a tampered entry', async () => {
    const author = identityFromSeed(fromString('55'.repeat(32), 'base16'))
    const { jws } = await createEntry(author, {
      type: 'document',
      content: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
      title: 'Interop',
    })
    const [h, , s] = jws.split('.')
    const forged = [
      h,
      Buffer.from(JSON.stringify({ kind: 'cas-disot/entry', iss: author.did, title: 'Forged' })).toString('base64url'),
      s,
    ].join('.')
    await expect(verifyJWT(forged, { resolver: new Resolver(getResolver()) })).rejects.toThrow(/invalid_signature/)
  })
})
