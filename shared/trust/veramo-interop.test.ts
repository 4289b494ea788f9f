import { describe, expect, it } from 'vitest'
import { createAgent, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from '@veramo/core'
import { KeyManager, MemoryKeyStore, MemoryPrivateKeyStore } from '@veramo/key-manager'
import { KeyManagementSystem } from '@veramo/kms-local'
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager'
import { DIDResolverPlugin } from '@veramo/did-resolver'
import { getDidKeyResolver, KeyDIDProvider } from '@veramo/did-provider-key'
import { CredentialPlugin } from '@veramo/credential-w3c'
import { CredentialProviderJWT } from '@veramo/credential-jwt'
import { generateIdentity } from '../identity/did-key.ts'
import { createCredentialAgent } from './credential-agent.ts'

type PlainAgent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>

/** A Veramo agent as its documentation sets one up: its own keys, its own did:key resolver, none of our code. */
function plainVeramoAgent(): PlainAgent {
  return createAgent({
    plugins: [
      new KeyManager({ store: new MemoryKeyStore(), kms: { local: new KeyManagementSystem(new MemoryPrivateKeyStore()) } }),
      new DIDManager({
        store: new MemoryDIDStore(),
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: 'local' }) },
      }),
      new DIDResolverPlugin({ ...getDidKeyResolver() }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  })
}

describe('trust credentials between this app and a plain Veramo agent (did:key, JWT)', () => {
  it("a plain agent's credential of our type verifies here, and ours verifies there", async () => {
    const plain = plainVeramoAgent()
    const them = await plain.didManagerCreate({ provider: 'did:key', options: { keyType: 'Ed25519' } })
    const me = generateIdentity()
    const ours = await createCredentialAgent(me)

    const theirs = await plain.createVerifiableCredential({
      credential: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', 'CasDisotTrustCredential'],
        issuer: { id: them.did },
        expirationDate: new Date(Date.now() + 86_400_000).toISOString(),
        credentialSubject: { id: me.did, trustLevel: 60, context: 'met at the workshop' },
      },
      proofFormat: 'jwt',
    })
    const taken = await ours.verify(String(theirs.proof.jwt))
    expect(taken).toMatchObject({ issuer: them.did, subject: me.did, level: 60, context: 'met at the workshop' })

    const mine = await ours.issue({ subject: them.did, level: 80, context: 'colleague', validForSeconds: 3600 })
    const there = await plain.verifyCredential({ credential: mine.jwt })
    expect(there.verified).toBe(true)
    const vc = there.verifiableCredential as { credentialSubject: unknown; type: unknown } | undefined
    expect(vc?.credentialSubject).toMatchObject({ id: them.did, trustLevel: 80, context: 'colleague' })
    expect(vc?.type).toContain('CasDisotTrustCredential')
  })

  it('presentations cross both ways, bound to the challenge and domain the verifier set', async () => {
    const plain = plainVeramoAgent()
    const them = await plain.didManagerCreate({ provider: 'did:key', options: { keyType: 'Ed25519' } })
    const me = generateIdentity()
    const ours = await createCredentialAgent(me)
    const credential = await ours.issue({ subject: them.did, level: 80, context: '', validForSeconds: 3600 })

    const toThem = await ours.present([credential.jwt], { challenge: 'their-nonce', domain: them.did })
    const checked = await plain.verifyPresentation({ presentation: toThem, challenge: 'their-nonce', domain: them.did })
    expect(checked.verified).toBe(true)
    expect((await plain.verifyPresentation({ presentation: toThem, challenge: 'another-nonce', domain: them.did })).verified).toBe(false)

    const fromThem = await plain.createVerifiablePresentation({
      presentation: { holder: them.did, verifiableCredential: [credential.jwt] },
      challenge: 'my-nonce',
      domain: me.did,
      proofFormat: 'jwt',
    })
    const held = await ours.verifyPresentation(String(fromThem.proof.jwt), { holder: them.did, challenge: 'my-nonce', domain: me.did })
    expect(held).toEqual([credential.jwt])
    await expect(
      ours.verifyPresentation(String(fromThem.proof.jwt), { holder: them.did, challenge: 'another-nonce', domain: me.did }),
    ).rejects.toMatchObject({ name: 'InvalidPresentationError', reason: 'wrong-challenge' })
  })
})
