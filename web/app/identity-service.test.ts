import { describe, expect, it } from 'vitest'
import { MemoryIdentityKeeper } from '../store/identity-keeper.ts'
import { IdentityService } from './identity-service.ts'

async function started(): Promise<IdentityService> {
  const service = new IdentityService(new MemoryIdentityKeeper())
  await service.start()
  return service
}

describe('IdentityService', () => {
  it('creates a did:key on first start and keeps a display name', async () => {
    const service = await started()
    expect(service.view()?.did).toMatch(/^did:key:z6Mk/)
    await service.setDisplayName('  Alice  ')
    expect(service.view()?.displayName).toBe('Alice')
    await expect(service.setDisplayName('x'.repeat(65))).rejects.toMatchObject({ name: 'DisplayNameError' })
  })

  it('a backup restores the same DID elsewhere; a wrong passphrase changes nothing', async () => {
    const alice = await started()
    const backup = await alice.exportBackup('a long passphrase')
    const other = await started()
    const before = other.view()?.did
    await expect(other.importBackup(backup, 'not the passphrase')).rejects.toMatchObject({ name: 'WrongPassphraseError' })
    await expect(other.importBackup('{"damaged":', 'a long passphrase')).rejects.toMatchObject({ name: 'MalformedBackupError' })
    expect(other.view()?.did).toBe(before)
    expect((await other.importBackup(backup, 'a long passphrase')).did).toBe(alice.view()?.did)
    expect(other.signer().seed).toEqual(alice.signer().seed)
  })
})
