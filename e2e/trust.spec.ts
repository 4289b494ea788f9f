import type { Page } from '@playwright/test'
import { addFile, didOf, expect, openPerson, pseudoRandomBytes, shareLinkOf, test, type Person } from './fixtures.ts'

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
