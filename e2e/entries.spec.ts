import { readFile } from 'node:fs/promises'
import type { Page } from '@playwright/test'
import { addFile, expect, openPerson, test } from './fixtures.ts'
import { replaceInPayload } from '../shared/testing/tamper.ts'
import { verifyEntry } from '../shared/entries/entry.ts'

async function openTab(page: Page, name: string): Promise<void> {
  await page.getByRole('tab', { name }).click()
}

async function signEntry(
  page: Page,
  fields: { type?: string; title: string; version?: string; changes?: string; text?: string },
): Promise<void> {
  const form = page.getByRole('form')
  if (fields.type !== undefined) await form.getByLabel('Type').selectOption({ label: fields.type })
  await form.getByLabel('Title').fill(fields.title)
  if (fields.text !== undefined) await form.getByLabel('Text of the post (Markdown)').fill(fields.text)
  if (fields.version !== undefined) await form.getByLabel('Version label').fill(fields.version)
  if (fields.changes !== undefined) await form.getByLabel('What changed').fill(fields.changes)
  await form.getByRole('button', { name: /^Sign/ }).click()
  await expect(page.getByTestId('entry').filter({ hasText: fields.title })).toBeVisible()
}

async function downloadText(page: Page, click: () => Promise<void>): Promise<string> {
  const [download] = await Promise.all([page.waitForEvent('download'), click()])
  return await readFile(await download.path(), 'utf8')
}

test('a person signs entries, versions them, verifies them, and carries the identity to another browser', async ({ browser, relay }) => {
  test.setTimeout(180_000)
  const alice = await openPerson(browser, relay, 'alice')
  const { page } = alice

  await openTab(page, 'Identity')
  const did = await page.getByLabel('Your DID').inputValue()
  expect(did).toMatch(/^did:key:z6Mk[1-9A-HJ-NP-Za-km-z]{44}$/)
  await expect(page.getByRole('img', { name: `QR code of ${did}` })).toBeVisible()
  await page.getByLabel('Display name').fill('Alice')
  await page.getByRole('button', { name: 'Save name' }).click()
  await expect(page.getByRole('status')).toHaveText('Display name saved.')

  await openTab(page, 'Library')
  await addFile(alice, 'report.txt', 'text/plain', Buffer.from('the report'))

  await openTab(page, 'Entries')
  await page.getByRole('button', { name: 'New entry…' }).click()
  await signEntry(page, { title: 'Report', version: '1.0' })
  await page.getByRole('button', { name: 'New version of Report' }).click()
  await signEntry(page, { title: 'Report, revised', version: '1.1', changes: 'fixed a typo' })
  await page.getByRole('button', { name: 'New version of Report', exact: true }).click()
  await signEntry(page, { title: 'Report, other branch', version: '1.1b' })
  await page.getByRole('button', { name: 'New entry…' }).click()
  await signEntry(page, { type: 'Blog post', title: 'My post', text: '# Hello\nfrom the blog' })
  await expect(page.locator('[data-testid="badge"][data-valid="true"]')).toHaveCount(4)

  // a public entry is published: anyone verifies it from the relay while this browser is closed
  await page.getByLabel('Who may fetch My post').selectOption({ label: 'Public: anyone' })
  await page.getByRole('button', { name: 'Publish My post' }).click()
  const published = page.getByTestId('entry').filter({ hasText: 'My post' })
  await expect(published.getByTestId('pin-state')).toHaveAttribute('data-state', 'pinned')
  const postCid = (await published.getAttribute('data-cid')) as string
  const fromRelay = await page.request.get(`${relay.url}ipfs/${postCid}?format=raw`)
  expect((await verifyEntry(await fromRelay.text(), { expectedCid: postCid })).entry.title).toBe('My post')
  await expect(page.getByRole('button', { name: 'Publish Report' })).toHaveCount(0)

  await page.getByRole('button', { name: 'History of Report, revised' }).click()
  const history = page.getByRole('dialog', { name: 'History of Report, revised' })
  await expect(history.getByTestId('version')).toHaveCount(3)
  await expect(history.getByRole('note')).toContainText('This history forks')
  await expect(history.getByTestId('fork')).toHaveText('fork: 2 next versions')
  await expect(history.locator('[aria-current="true"]')).toContainText('fixed a typo')
  await history.getByRole('button', { name: 'Close' }).click()

  await page.getByRole('search', { name: 'Filter entries' }).getByLabel('Type').selectOption({ label: 'Blog post' })
  await expect(page.getByTestId('entry')).toHaveCount(1)

  // everything is still there after a reload, and still verifies
  await page.reload()
  await openTab(page, 'Identity')
  await expect(page.getByLabel('Your DID')).toHaveValue(did)
  await expect(page.getByLabel('Display name')).toHaveValue('Alice')
  await openTab(page, 'Entries')
  await expect(page.locator('[data-testid="badge"][data-valid="true"]')).toHaveCount(4)

  await openTab(page, 'Library')
  await expect(page.getByTestId('file-row').filter({ hasText: 'My post.md' })).toBeVisible()

  // export an entry, verify it, and see a tampered copy refused
  await openTab(page, 'Entries')
  const jws = await downloadText(page, async () => await page.getByRole('button', { name: 'Export Report', exact: true }).click())
  await openTab(page, 'Verify')
  await page.getByLabel('Entry (compact JWS) or entry CID').fill(jws)
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByTestId('verify-report')).toHaveAttribute('data-valid', 'true')
  await expect(page.getByTestId('verify-report')).toContainText(did)
  const tampered = replaceInPayload(jws, '"Report"', '"Rapport"')
  await page.getByLabel('Entry (compact JWS) or entry CID').fill(tampered)
  await page.getByRole('button', { name: 'Verify' }).click()
  await expect(page.getByTestId('verify-report')).toHaveAttribute('data-valid', 'false')
  await expect(page.getByTestId('verify-report')).toContainText('signature does not match')

  // back up the identity and restore it in another person's fresh browser
  await openTab(page, 'Identity')
  await page.getByLabel('Passphrase for the backup').fill('a good long passphrase')
  const backup = await downloadText(page, async () => await page.getByRole('button', { name: 'Export backup' }).click())
  expect(backup).toContain('"iterations": 600000')

  const other = await openPerson(browser, relay, 'alice on another machine')
  await openTab(other.page, 'Identity')
  const otherDid = await other.page.getByLabel('Your DID').inputValue()
  expect(otherDid).not.toBe(did)
  await other.page
    .getByLabel('Backup file')
    .setInputFiles({ name: 'backup.json', mimeType: 'application/json', buffer: Buffer.from(backup) })
  await other.page.getByLabel('Passphrase of the backup').fill('the wrong passphrase')
  await other.page.getByRole('button', { name: 'Restore identity' }).click()
  await expect(other.page.getByRole('status').filter({ hasText: 'does not open' })).toBeVisible({ timeout: 30_000 })
  await expect(other.page.getByLabel('Your DID')).toHaveValue(otherDid)
  await other.page.getByLabel('Passphrase of the backup').fill('a good long passphrase')
  await other.page.getByRole('button', { name: 'Restore identity' }).click()
  await expect(other.page.getByLabel('Your DID')).toHaveValue(did, { timeout: 30_000 })

  await openTab(other.page, 'Library')
  await addFile(other, 'note.txt', 'text/plain', Buffer.from('signed elsewhere'))
  await openTab(other.page, 'Entries')
  await other.page.getByRole('button', { name: 'New entry…' }).click()
  await signEntry(other.page, { title: 'From the restored identity' })
  const entry = other.page.getByTestId('entry').filter({ hasText: 'From the restored identity' })
  await expect(entry.getByTestId('badge')).toHaveAttribute('data-valid', 'true')
  await expect(entry.locator('code').first()).toHaveAttribute('title', did)
})
