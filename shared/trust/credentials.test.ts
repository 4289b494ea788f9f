import { describe, expect, it } from 'vitest'
import { verifyCredential } from 'did-jwt-vc'
import { Resolver } from 'did-resolver'
import { getResolver } from 'key-did-resolver'
import { generateIdentity, identityFromSeed } from '../identity/did-key.ts'
import { signJwt } from '../identity/jws.ts'
import { lazyCredentialAgent, signRevocations, verifyRevocations } from './credentials.ts'
import { createCredentialAgent } from './credential-agent.ts'
import { replaceInPayload } from '../testing/tamper.ts'
import vector from './vectors/did-jwt-vc-credential.json' with { type: 'json' }

describe('trust credentials (W3C VC as JWT, through the Veramo agent)', () => {
  const alice = generateIdentity()
  const bob = generateIdentity()

  it('issue and verify; standard tools verify them too', async () => {
    const agent = await createCredentialAgent(alice)
    const c = await agent.issue({ subject: bob.did, level: 70, context: 'colleague', validForSeconds: 3600 })
    expect(c).toMatchObject({ issuer: alice.did, subject: bob.did, level: 70, context: 'colleague' })
    expect(c.id).toMatch(/^bafkrei/)
    const plain = await verifyCredential(c.jwt, new Resolver(getResolver()))
    expect(plain.payload.sub).toBe(bob.did)
    expect((plain.payload.vc as { credentialSubject: unknown }).credentialSubject).toEqual({ trustLevel: 70, context: 'colleague' })
  })

  it('a credential made before the agent (did-jwt-vc directly) keeps verifying, with the same claim and ID', async () => {
    const agent = await createCredentialAgent(bob)
    const c = await agent.verify(vector.credential.jwt)
    expect(c).toEqual(vector.credential)
    expect(c.issuer).toBe(identityFromSeed(new Uint8Array(32).fill(vector.issuerSeedByte)).did)
    expect((await verifyRevocations(vector.revocations.jws)).revoked).toEqual(vector.revocations.revoked)
  })

  it('refuses expired, tampered and non-trust tokens', async () => {
    const agent = await createCredentialAgent(alice)
    const now = Math.floor(Date.now() / 1000)
    const c = await agent.issue({ subject: bob.did, level: 70, context: '', validForSeconds: 60 }, now - 3600)
    await expect(agent.verify(c.jwt)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
    const fresh = await agent.issue({ subject: bob.did, level: 70, context: '', validForSeconds: 600 })
    const forged = replaceInPayload(fresh.jwt, '"trustLevel":70', '"trustLevel":100')
    await expect(agent.verify(forged)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
    const notTrust = await signJwt(alice, {
      sub: bob.did,
      nbf: now,
      exp: now + 60,
      vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: {} },
    })
    await expect(agent.verify(notTrust)).rejects.toThrow(/not a trust credential/)
    await expect(agent.issue({ subject: bob.did, level: 101, context: '', validForSeconds: 60 })).rejects.toMatchObject({
      name: 'InvalidTrustLevelError',
    })
  })

  it('the agent is loaded once per identity, and anew when the identity changes', async () => {
    let me = alice
    const agentOf = lazyCredentialAgent(() => me)
    const first = await agentOf()
    expect(await agentOf()).toBe(first)
    me = bob
    const second = await agentOf()
    expect(second.did).toBe(bob.did)
    expect((await second.issue({ subject: alice.did, level: 50, context: '', validForSeconds: 60 })).issuer).toBe(bob.did)
  })

  it('a presentation verifies only as made: by its holder, for this challenge and domain, unaltered and in time', async () => {
    const agent = await createCredentialAgent(alice)
    const bobs = await createCredentialAgent(bob)
    const c = await agent.issue({ subject: bob.did, level: 70, context: '', validForSeconds: 600 })
    const binding = { challenge: 'nonce-1', domain: bob.did }
    const vp = await agent.present([c.jwt], binding)
    expect(await bobs.verifyPresentation(vp, { ...binding, holder: alice.did })).toEqual([c.jwt])

    const altered = replaceInPayload(vp, '"nonce":"nonce-1"', '"nonce":"nonce-2"')
    await expect(bobs.verifyPresentation(altered, { challenge: 'nonce-2', domain: bob.did, holder: alice.did })).rejects.toMatchObject({
      reason: 'invalid',
    })
    const old = await agent.present([c.jwt], binding, Math.floor(Date.now() / 1000) - 3600)
    await expect(bobs.verifyPresentation(old, { ...binding, holder: alice.did })).rejects.toMatchObject({ reason: 'invalid' })
    await expect(bobs.verifyPresentation('not a jwt', { ...binding, holder: alice.did })).rejects.toMatchObject({ reason: 'malformed' })
  })

  it('revocation lists are signed by their issuer', async () => {
    const list = await signRevocations(alice, ['bafkreiexample'])
    expect((await verifyRevocations(list.jws)).revoked).toEqual(['bafkreiexample'])
    const forged = list.jws.slice(0, -3) + (list.jws.endsWith('AAA') ? 'BBB' : 'AAA')
    await expect(verifyRevocations(forged)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
  })
})
