import { describe, expect, it } from 'vitest'
import { generateIdentity } from './did-key.ts'
import { decryptBackup, encryptBackup, BACKUP_ITERATIONS } from './backup.ts'
import { flipBase64Bit } from '../testing/tamper.ts'

describe('identity backup', () => {
  const identity = generateIdentity()
  const backup = encryptBackup(identity, 'correct horse battery')

  it('restores the same DID and key with the right passphrase', async () => {
    const restored = await decryptBackup(await backup, 'correct horse battery')
    expect(restored.did).toBe(identity.did)
    expect(restored.seed).toEqual(identity.seed)
    expect(JSON.parse(await backup)).toMatchObject({ kdf: { iterations: BACKUP_ITERATIONS }, did: identity.did })
    expect(await backup).not.toContain(Buffer.from(identity.seed).toString('base64'))
  })

  it('refuses a wrong passphrase', async () => {
    await expect(decryptBackup(await backup, 'wrong horse battery')).rejects.toMatchObject({ name: 'WrongPassphraseError' })
  })

  it('refuses a damaged file', async () => {
    const file = JSON.parse(await backup) as { cipher: { ciphertext: string }; did: string }
    const flipped = { ...file, cipher: { ...file.cipher, ciphertext: flipBase64Bit(file.cipher.ciphertext, 0) } }
    expect(flipped.cipher.ciphertext).not.toBe(file.cipher.ciphertext)
    await expect(decryptBackup(JSON.stringify(flipped), 'correct horse battery')).rejects.toMatchObject({ name: 'WrongPassphraseError' })
    const otherDid = { ...file, did: generateIdentity().did }
    await expect(decryptBackup(JSON.stringify(otherDid), 'correct horse battery')).rejects.toMatchObject({ name: 'WrongPassphraseError' })
    await expect(decryptBackup('{"format":"x"}', 'correct horse battery')).rejects.toMatchObject({ name: 'MalformedBackupError' })
    await expect(decryptBackup('not json', 'correct horse battery')).rejects.toMatchObject({ name: 'MalformedBackupError' })
    const weak = { ...file, kdf: { ...(JSON.parse(await backup) as { kdf: object }).kdf, iterations: 1000 } }
    await expect(decryptBackup(JSON.stringify(weak), 'correct horse battery')).rejects.toMatchObject({ name: 'MalformedBackupError' })
  })

  it('refuses a short passphrase', async () => {
    await expect(encryptBackup(identity, 'short')).rejects.toMatchObject({ name: 'WeakPassphraseError' })
  })
})
