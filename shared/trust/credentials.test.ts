import { describe, expect, it } from 'vitest'
import { verifyCredential } from 'did-jwt-vc'
import { Resolver } from 'did-resolver'
import { getResolver } from 'key-did-resolver'
import { generateIdentity } from '../identity/did-key.ts'
import { signJwt } from '../identity/jws.ts'
import { issueTrustCredential, signRevocations, verifyRevocations, verifyTrustCredential } from './credentials.ts'
import { replaceInPayload } from '../testing/tamper.ts'

describe('trust credentials (W3C VC as JWT)', () => {
  const alice = generateIdentity()
  const bob = generateIdentity()

  it('issue and verify; standard tools verify them too', async () => {
    const c = await issueTrustCredential(alice, { subject: bob.did, level: 70, context: 'colleague', validForSeconds: 3600 })
    expect(c).toMatchObject({ issuer: alice.did, subject: bob.did, level: 70, context: 'colleague' })
    expect(c.id).toMatch(/^bafkrei/)
    const plain = await verifyCredential(c.jwt, new Resolver(getResolver()))
    expect(plain.payload.sub).toBe(bob.did)
  })

  it('refuses expired, tampered and non-trust tokens', async () => {
    const now = Math.floor(Date.now() / 1000)
    const c = await issueTrustCredential(alice, { subject: bob.did, level: 70, context: '', validForSeconds: 60 }, now - 3600)
    await expect(verifyTrustCredential(c.jwt)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
    const fresh = await issueTrustCredential(alice, { subject: bob.did, level: 70, context: '', validForSeconds: 600 })
    const forged = replaceInPayload(fresh.jwt, '"trustLevel":70', '"trustLevel":100')
    await expect(verifyTrustCredential(forged)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
    const notTrust = await signJwt(alice, {
      sub: bob.did,
      vc: { '@context': ['https://www.w3.org/2018/credentials/v1'], type: ['VerifiableCredential'], credentialSubject: {} },
    })
    await expect(verifyTrustCredential(notTrust)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
    await expect(issueTrustCredential(alice, { subject: bob.did, level: 101, context: '', validForSeconds: 60 })).rejects.toMatchObject({
      name: 'InvalidTrustLevelError',
    })
  })

  it('revocation lists are signed by their issuer', async () => {
    const list = await signRevocations(alice, ['bafkreiexample'])
    expect((await verifyRevocations(list.jws)).revoked).toEqual(['bafkreiexample'])
    const forged = list.jws.slice(0, -3) + (list.jws.endsWith('AAA') ? 'BBB' : 'AAA')
    await expect(verifyRevocations(forged)).rejects.toMatchObject({ name: 'InvalidCredentialError' })
  })
})
