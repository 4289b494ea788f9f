import type { Page } from '@playwright/test'
import { readFile } from 'node:fs/promises'
import { addFile, didOf, expect, openPerson, pseudoRandomBytes, shareLinkOf, test, type Person } from './fixtures.ts'
import { decryptBackup } from '../shared/identity/backup.ts'
import { generateIdentity, type Identity } from '../shared/identity/did-key.ts'
import { replaceInPayload } from '../shared/testing/tamper.ts'
import { dialBrowser, startNodePeer, type NodePeer } from './node-peer.ts'

async function trust(page: Page, did: string, label: string, level: 'full' | 'trusted' | 'acquaintance' | 'blocked'): Promise<void> {
  await page.getByRole('tab', { name: 'Trust' }).click()
  const row = page.getByTestId('trust-row').filter({ hasText: label })
  if ((await row.count()) === 0) {
    const form = page.getByRole('form', { name: 'Add a DID' })
    await form.getByLabel('DID').fill(did)
    await form.getByLabel('Label').fill(label)
    await form.getByLabel('Level').selectOption({ label: level })
    await form.getByRole('button', { name: 'Add' }).click()
  } else {
    await page.getByLabel(`Trust in ${label}`).selectOption({ label: level })
  }
  await expect(page.getByTestId('trust-row').filter({ hasText: label })).toBeVisible()
  await page.getByRole('tab', { name: 'Library' }).click()
}

async function vouch(page: Page, did: string, context: string): Promise<void> {
  await page.getByRole('tab', { name: 'Trust' }).click()
  await page.getByRole('form', { name: 'Issue a trust credential' }).getByLabel('DID').fill(did)
  await page.getByLabel('Context').fill(context)
  await page.getByRole('button', { name: 'Issue credential' }).click()
  await expect(page.getByTestId('issued-credential').filter({ has: page.locator(`code[title="${did}"]`) })).toHaveCount(1)
  await page.getByRole('tab', { name: 'Library' }).click()
}

async function stepOf(page: Page, did: string) {
  await page.getByRole('tab', { name: 'Trust' }).click()
  await page.getByRole('form', { name: 'Check a DID' }).getByLabel('DID').fill(did)
  await page.getByRole('button', { name: 'Check' }).click()
  return page.getByTestId('trust-explanation')
}

/** `person` makes a small public file and `other` fetches it: the two meet, and each presents its credentials. */
async function meet(person: Person, other: Person, name: string): Promise<void> {
  await person.page.getByRole('tab', { name: 'Library' }).click()
  await other.page.getByRole('tab', { name: 'Library' }).click()
  await addFile(person, name, 'text/plain', Buffer.from(name))
  await person.page.getByLabel(`Who may fetch ${name}`).selectOption({ label: 'Public: anyone' })
  await expect(await fetchLink(other, await shareLinkOf(person, name), name)).toHaveAttribute('data-state', 'done')
}

/** The identity a person's browser holds, as its backup restores it: for a Node peer to act with the same key. */
async function identityOf(person: Person): Promise<Identity> {
  const { page } = person
  await page.getByRole('tab', { name: 'Identity' }).click()
  await page.getByLabel('Passphrase for the backup').fill('a good long passphrase')
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Export backup' }).click()])
  await page.getByRole('tab', { name: 'Library' }).click()
  return await decryptBackup(await readFile(await download.path(), 'utf8'), 'a good long passphrase')
}

async function reachableAt(person: Person): Promise<string> {
  const address = await person.page.locator('dt', { hasText: 'Reachable at' }).locator('+ dd code').textContent()
  if (address === null || !address.includes('/p2p-circuit/webrtc/')) throw new Error(`${person.name} shows no WebRTC address: ${address}`)
  return address
}

async function fetchLink(person: Person, link: string, name: string) {
  await person.page.getByLabel('Open a share link').fill(link)
  await person.page.getByRole('button', { name: 'Fetch' }).click()
  const transfer = person.page.getByTestId('transfer').filter({ hasText: name })
  await expect(transfer).toHaveAttribute('data-state', /^(done|failed)$/, { timeout: 30_000 })
  return transfer
}

test('private files reach trusted peers only; a block applies to the next request', async ({ browser, relay }) => {
  const alice = await openPerson(browser, relay, 'alice')
  const bob = await openPerson(browser, relay, 'bob')
  const carol = await openPerson(browser, relay, 'carol')
  const bobDid = await didOf(bob)

  await addFile(alice, 'private.bin', 'application/octet-stream', pseudoRandomBytes(700_000, 7))
  await expect(alice.page.getByLabel('Who may fetch private.bin')).toHaveValue('private-trusted')
  await trust(alice.page, bobDid, 'Bob', 'trusted')
  const link = await shareLinkOf(alice, 'private.bin')

  await expect(await fetchLink(bob, link, 'private.bin')).toHaveAttribute('data-state', 'done')
  const refused = await fetchLink(carol, link, 'private.bin')
  await expect(refused).toHaveAttribute('data-state', 'failed')
  await expect(refused).toContainText('does not share it with you')
  await expect(carol.page.getByTestId('file-row')).toHaveCount(0)

  // alice sees both, proven by their DIDs; carol is unknown to her
  const carolDid = await didOf(carol)
  const carolOnAlice = alice.page.getByTestId('peer').filter({ has: alice.page.locator(`[data-did="${carolDid}"]`) })
  await expect(carolOnAlice.getByRole('combobox')).toHaveAttribute('data-step', 'unknown')
  const bobOnAlice = alice.page.getByTestId('peer').filter({ has: alice.page.locator(`[data-did="${bobDid}"]`) })
  await expect(bobOnAlice.getByRole('combobox')).toHaveAttribute('data-step', 'trusted')

  // alice blocks bob: his next request gets nothing, at once
  await addFile(alice, 'second.bin', 'application/octet-stream', pseudoRandomBytes(300_000, 8))
  const second = await shareLinkOf(alice, 'second.bin')
  await trust(alice.page, bobDid, 'Bob', 'blocked')
  const blocked = await fetchLink(bob, second, 'second.bin')
  await expect(blocked).toHaveAttribute('data-state', 'failed')
  const took = Number(await blocked.getAttribute('data-finished-at')) - Number(await blocked.getAttribute('data-started-at'))
  expect(took).toBeLessThan(1000)

  // the peer book outlives a reload: alice still knows whom she met, and bob stays blocked
  await alice.page.reload()
  await alice.page.getByRole('tab', { name: 'Trust' }).click()
  await expect(alice.page.getByTestId('met').filter({ has: alice.page.locator(`code[title="${bobDid}"]`) })).toContainText(
    'proved their DID',
  )
  await expect(alice.page.getByTestId('met').filter({ has: alice.page.locator(`code[title="${carolDid}"]`) })).toHaveCount(1)
  await expect(alice.page.getByLabel('Trust in Bob')).toHaveAttribute('data-step', 'blocked')
})

test('a credential carries trust one hop: Alice vouches for Bob, so Dave, who trusts Alice, sees Bob as an acquaintance', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const bob = await openPerson(browser, relay, 'bob')
  const dave = await openPerson(browser, relay, 'dave')
  const [aliceDid, bobDid] = [await didOf(alice), await didOf(bob)]

  await alice.page.getByRole('tab', { name: 'Trust' }).click()
  await alice.page.getByRole('form', { name: 'Issue a trust credential' }).getByLabel('DID').fill(bobDid)
  await alice.page.getByLabel('Context').fill('colleague')
  await alice.page.getByRole('button', { name: 'Issue credential' }).click()
  await expect(alice.page.getByTestId('issued-credential')).toHaveCount(1)
  await alice.page.getByRole('tab', { name: 'Library' }).click()

  await trust(dave.page, aliceDid, 'Alice', 'trusted')
  await dave.page.getByRole('tab', { name: 'Trust' }).click()
  await dave.page.getByRole('form', { name: 'Check a DID' }).getByLabel('DID').fill(bobDid)
  await dave.page.getByRole('button', { name: 'Check' }).click()
  await expect(dave.page.getByTestId('trust-explanation')).toHaveAttribute('data-step', 'unknown')

  // dave meets alice (fetching something she made public); her credentials come along
  await dave.page.getByRole('tab', { name: 'Library' }).click()
  await addFile(alice, 'hello.txt', 'text/plain', Buffer.from('hello'))
  await alice.page.getByLabel('Who may fetch hello.txt').selectOption({ label: 'Public: anyone' })
  const link = await shareLinkOf(alice, 'hello.txt')
  await expect(await fetchLink(dave, link, 'hello.txt')).toHaveAttribute('data-state', 'done')

  await dave.page.getByRole('tab', { name: 'Trust' }).click()
  await dave.page.getByRole('form', { name: 'Check a DID' }).getByLabel('DID').fill(bobDid)
  await dave.page.getByRole('button', { name: 'Check' }).click()
  const explanation = dave.page.getByTestId('trust-explanation')
  await expect(explanation).toHaveAttribute('data-step', 'acquaintance')
  await expect(explanation).toHaveAttribute('data-source', 'derived')
  await expect(explanation).toContainText(`${aliceDid.slice(8, 14)}`)

  // alice revokes; the next time dave meets her, bob is unknown again
  await alice.page.getByRole('tab', { name: 'Trust' }).click()
  await alice.page.getByRole('button', { name: `Revoke credential for ${bobDid}` }).click()
  await expect(alice.page.getByTestId('issued-credential')).toHaveCount(0)
  await dave.page.reload()
  await expect(dave.page.getByTestId('relay-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 })
  await dave.page.getByRole('tab', { name: 'Library' }).click()
  await alice.page.getByRole('tab', { name: 'Library' }).click()
  await addFile(alice, 'again.txt', 'text/plain', Buffer.from('again'))
  await alice.page.getByLabel('Who may fetch again.txt').selectOption({ label: 'Public: anyone' })
  await expect(await fetchLink(dave, await shareLinkOf(alice, 'again.txt'), 'again.txt')).toHaveAttribute('data-state', 'done')
  await dave.page.getByRole('tab', { name: 'Trust' }).click()
  await dave.page.getByRole('form', { name: 'Check a DID' }).getByLabel('DID').fill(bobDid)
  await dave.page.getByRole('button', { name: 'Check' }).click()
  await expect(dave.page.getByTestId('trust-explanation')).toHaveAttribute('data-step', 'unknown')
})

test('Bob shows what Alice said of him to Carol, who trusts Alice but never met her; its JWT carries it by hand too', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const bob = await openPerson(browser, relay, 'bob')
  const carol = await openPerson(browser, relay, 'carol')
  const [aliceDid, bobDid] = [await didOf(alice), await didOf(bob)]

  await vouch(alice.page, bobDid, 'colleague')
  await meet(alice, bob, 'from-alice.txt')
  await bob.page.getByRole('tab', { name: 'Trust' }).click()
  const aboutBob = bob.page.getByTestId('credential-about-me')
  await expect(aboutBob).toHaveCount(1)
  await expect(aboutBob.getByTestId('credential-claim')).toContainText('is trusted (70), as colleague')
  await alice.page.context().close()

  await trust(carol.page, aliceDid, 'Alice', 'trusted')
  await expect(await stepOf(carol.page, bobDid)).toHaveAttribute('data-step', 'unknown')
  await meet(bob, carol, 'from-bob.txt')
  const explanation = await stepOf(carol.page, bobDid)
  await expect(explanation).toHaveAttribute('data-step', 'acquaintance')
  await expect(explanation).toContainText(aliceDid.slice(8, 14))

  // the JWT, exported from Bob's Trust tab, imports in a browser that met neither; a changed one is refused
  await bob.page.getByRole('tab', { name: 'Trust' }).click()
  await aboutBob.getByText('Show its JWT').click()
  const jwt = await aboutBob.getByLabel(`JWT of the credential from ${aliceDid}`).inputValue()
  const dave = await openPerson(browser, relay, 'dave')
  await dave.page.getByRole('tab', { name: 'Trust' }).click()
  const form = dave.page.getByRole('form', { name: 'Import a credential' })
  await form.getByLabel('Credential JWT').fill(replaceInPayload(jwt, '"trustLevel":70', '"trustLevel":100'))
  await form.getByRole('button', { name: 'Verify and import' }).click()
  await expect(dave.page.getByRole('alert')).toContainText('signature was not made by the DID it names')
  await form.getByLabel('Credential JWT').fill(jwt)
  await form.getByRole('button', { name: 'Verify and import' }).click()
  await expect(dave.page.getByTestId('imported-credential')).toContainText('is trusted (70), as colleague')
  await trust(dave.page, aliceDid, 'Alice', 'full')
  await expect(await stepOf(dave.page, bobDid)).toHaveAttribute('data-step', 'acquaintance')
})

test('a presentation replayed on another connection is refused, even from the key that made it', async ({ browser, relay }) => {
  const alice = await openPerson(browser, relay, 'alice')
  const carol = await openPerson(browser, relay, 'carol')
  const [aliceDid, carolDid] = [await didOf(alice), await didOf(carol)]
  const mallory = generateIdentity()
  await vouch(alice.page, mallory.did, 'friend')
  await trust(carol.page, aliceDid, 'Alice', 'trusted')

  // a presentation Alice made for Carol, on a connection to Carol's key (held here, in Node)
  const [aliceKey, carolKey] = [await identityOf(alice), await identityOf(carol)]
  expect([aliceKey.did, carolKey.did]).toEqual([aliceDid, carolDid])
  const peers: NodePeer[] = []
  try {
    const asCarol = await startNodePeer(carolKey)
    peers.push(asCarol)
    const answer = await asCarol.services.trust.fetch(await dialBrowser(asCarol, await reachableAt(alice)))
    if (answer.kind !== 'presentation') throw new Error(`expected a presentation, got a ${answer.kind}`)
    expect(await asCarol.trust.takePresentation(aliceDid, answer)).toEqual({ accepted: 1, refused: 0 })

    // Alice's key, on a new connection to Carol's browser, presents it again
    const asAlice = await startNodePeer(aliceKey, async () => ({ vp: answer.vp, revocations: undefined }))
    peers.push(asAlice)
    await dialBrowser(asAlice, await reachableAt(carol))
    await carol.page.getByRole('tab', { name: 'Trust' }).click()
    const refused = carol.page.getByTestId('refused-presentation')
    await expect(refused).toHaveAttribute('data-reason', 'wrong-challenge', { timeout: 20_000 })
    await expect(refused).toContainText('made for another connection')
    await expect(await stepOf(carol.page, mallory.did)).toHaveAttribute('data-step', 'unknown')
  } finally {
    await Promise.all(peers.map(async (p) => await p.stop()))
  }

  // what Alice presents herself, on her own connection, is taken
  await meet(alice, carol, 'hello.txt')
  await expect(await stepOf(carol.page, mallory.did)).toHaveAttribute('data-step', 'acquaintance')
})
