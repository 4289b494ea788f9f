import { describe, expect, it } from 'vitest'
import { ed25519 } from '@noble/curves/ed25519.js'
import { base64url } from 'multiformats/bases/base64'
import { generateIdentity } from '../identity/did-key.ts'
import { IdentityKms, identityKey } from './identity-kms.ts'

describe('the credential agent signs with the app identity and holds no key of its own', () => {
  const me = generateIdentity()
  const kms = new IdentityKms(me)

  it('lists the identity public key only, with no private part', async () => {
    const keys = await kms.listKeys()
    expect(keys).toEqual([identityKey(me)])
    expect(JSON.stringify(keys)).not.toMatch(/privateKey/)
    expect(keys[0]?.publicKeyHex).toBe(Buffer.from(me.publicKey).toString('hex'))
  })

  it('its EdDSA signature verifies against the DID key', async () => {
    const data = new TextEncoder().encode('header.payload')
    const signature = base64url.baseDecode(await kms.sign({ keyRef: { kid: identityKey(me).kid }, algorithm: 'EdDSA', data }))
    expect(ed25519.verify(signature, data, me.publicKey)).toBe(true)
  })

  it('refuses other keys, other algorithms, and making, importing or deleting keys', async () => {
    const data = new Uint8Array(4)
    const other = identityKey(generateIdentity()).kid
    await expect(kms.sign({ keyRef: { kid: other }, data })).rejects.toMatchObject({ name: 'KeyOutsideIdentityError' })
    await expect(kms.sign({ keyRef: { kid: identityKey(me).kid }, algorithm: 'ES256K', data })).rejects.toMatchObject({
      name: 'KeyOutsideIdentityError',
    })
    await expect(kms.importKey({ type: 'Ed25519', kms: 'local', privateKeyHex: '00'.repeat(32) })).rejects.toMatchObject({
      name: 'KeyOutsideIdentityError',
    })
    await expect(kms.createKey({ type: 'Ed25519' })).rejects.toMatchObject({ name: 'KeyOutsideIdentityError' })
    await expect(kms.deleteKey()).rejects.toMatchObject({ name: 'KeyOutsideIdentityError' })
  })
})
