import type { Page } from '@playwright/test'
import { addFile, expect, openPerson, pseudoRandomBytes, shareLinkOf, test, type Person } from './fixtures.ts'

async function didOf(person: Person): Promise<string> {
  await person.page.getByRole('tab', { name: 'Identity' }).click()
  const did = await person.page.getByLabel('Your DID').inputValue()
  await person.page.getByRole('tab', { name: 'Library' }).click()
  return did
}

async function trust(page: Page, did: string, label: string, level: 'full' | 'trusted' | 'acquaintance' | 'blocked'): Promise<void> {
  await page.getByRole('tab', { name: 'Trust' }).click()
  const row = page.getByTestId('trust-row').filter({ hasText: label })
  if ((await row.count()) === 0) {
    await page.getByLabel('DID', { exact: true }).fill(did)
    await page.getByLabel('Label', { exact: true }).fill(label)
    await page.getByLabel('Level', { exact: true }).selectOption({ label: level })
    await page.getByRole('button', { name: 'Add' }).click()
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
})
