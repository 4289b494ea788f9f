import { test as base, expect, type Browser, type BrowserContext, type Page } from '@playwright/test'
import { createHash } from 'node:crypto'
import { readFile } from 'node:fs/promises'
import { startRelayProcess, type RelayProcess } from './relay-process.ts'
import { pseudoRandomBytes as randomBytesOf } from '../shared/testing/bytes.ts'

export { expect }

/** One person: their own browser context (own IndexedDB), with the app open and reachable. */
export interface Person {
  name: string
  page: Page
}

/** Every person's context opened in the current test: closed when it ends, so no page of one test runs on into the next. */
const opened: BrowserContext[] = []

export async function openPerson(browser: Browser, relay: RelayProcess, name: string, url = relay.url): Promise<Person> {
  const context = await browser.newContext({ acceptDownloads: true })
  opened.push(context)
  const page = await context.newPage()
  await page.goto(url)
  await expect(page.getByTestId('relay-state')).toHaveAttribute('data-state', 'connected', { timeout: 20_000 })
  await expect(page.getByTestId('share-address')).toHaveAttribute('data-live', 'true', { timeout: 20_000 })
  return { name, page }
}

/** The DID a person's browser shows on its Identity tab. */
export async function didOf(person: Person): Promise<string> {
  await person.page.getByRole('tab', { name: 'Identity' }).click()
  const did = await person.page.getByLabel('Your DID').inputValue()
  await person.page.getByRole('tab', { name: 'Library' }).click()
  return did
}

export async function addFile(person: Person, name: string, mimeType: string, buffer: Buffer): Promise<string> {
  await person.page.getByLabel('Add files').setInputFiles({ name, mimeType, buffer })
  const row = person.page.getByTestId('file-row').filter({ hasText: name })
  await expect(row).toBeVisible({ timeout: 30_000 })
  return (await row.getAttribute('data-cid')) ?? ''
}

/** Sets who may fetch a file, as its holder does in the library. */
export async function setPrivacy(person: Person, name: string, label: string): Promise<void> {
  await person.page.getByLabel(`Who may fetch ${name}`).selectOption({ label })
  await expect(person.page.getByLabel(`Who may fetch ${name}`)).toHaveValue(/./)
}

/** Publishes a public file of the library (pins it on the relay) and waits until it is pinned. */
export async function publish(person: Person, name: string, timeout = 30_000): Promise<void> {
  await person.page.getByRole('button', { name: `Publish ${name}` }).click()
  await expect(person.page.getByTestId('file-row').filter({ hasText: name }).getByTestId('pin-state')).toHaveAttribute(
    'data-state',
    'pinned',
    { timeout },
  )
}

export async function shareLinkOf(person: Person, name: string): Promise<string> {
  await person.page.getByRole('button', { name: `Share ${name}` }).click()
  const link = await person.page.getByLabel('Share link', { exact: true }).inputValue()
  await person.page.getByRole('button', { name: 'Close' }).click()
  return link
}

export async function downloadSha256(person: Person, name: string): Promise<string> {
  const [download] = await Promise.all([
    person.page.waitForEvent('download'),
    person.page.getByRole('button', { name: `Download ${name}` }).click(),
  ])
  return sha256(await readFile(await download.path()))
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex')
}

/** Deterministic pseudo-random bytes, as a Buffer for Playwright's file inputs. */
export function pseudoRandomBytes(length: number, seed: number): Buffer {
  return Buffer.from(randomBytesOf(length, seed))
}

export const test = base.extend<{ relay: RelayProcess; people: void }>({
  people: [
    // eslint-disable-next-line no-empty-pattern
    async ({}, use) => {
      await use()
      await Promise.all(opened.splice(0).map(async (context) => await context.close()))
    },
    { auto: true },
  ],
  // Playwright reads fixture dependencies from the destructuring pattern
  // eslint-disable-next-line no-empty-pattern
  relay: async ({}, use) => {
    const relay = await startRelayProcess()
    await use(relay)
    await relay.stop()
  },
})
