import type { Browser } from '@playwright/test'
import type { RelayProcess } from '../e2e/relay-process.ts'
import { addFile, expect, openPerson, pseudoRandomBytes, setPrivacy, shareLinkOf, type Person } from '../e2e/fixtures.ts'

export interface ContentRound {
  /** From opening the link to the first bytes held, and the rate after them, for each source. */
  peer: { firstByteMs: number; bytesPerSecond: number }
  gateway: { firstByteMs: number; bytesPerSecond: number }
}

async function timesOf(person: Person, name: string, path: string): Promise<{ firstByteMs: number; bytesPerSecond: number }> {
  const transfer = person.page.getByTestId('transfer').filter({ hasText: name })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 240_000 })
  await expect(transfer).toHaveAttribute('data-path', path)
  const [started, first, finished] = await Promise.all(
    ['data-started-at', 'data-first-byte-at', 'data-finished-at'].map(async (a) => Number(await transfer.getAttribute(a))),
  )
  return {
    firstByteMs: (first as number) - (started as number),
    bytesPerSecond: (await sizeOf(transfer)) / (((finished as number) - (first as number)) / 1000),
  }
}

async function sizeOf(transfer: ReturnType<Person['page']['getByTestId']>): Promise<number> {
  return Number(await transfer.locator('progress').getAttribute('max'))
}

/**
 * One public file fetched twice: directly from its author, and (the author's
 * browser closed) from the relay's trustless gateway, through the app's
 * retrieval chain in both cases.
 */
export async function contentRound(browser: Browser, relay: RelayProcess, bytes: number, round: number): Promise<ContentRound> {
  const alice = await openPerson(browser, relay, 'alice')
  const name = `published-${round}.bin`
  await addFile(alice, name, 'application/octet-stream', pseudoRandomBytes(bytes, 5000 + round))
  await setPrivacy(alice, name, 'Public: anyone')
  await alice.page.getByRole('button', { name: `Publish ${name}` }).click()
  await expect(alice.page.getByTestId('file-row').filter({ hasText: name }).getByTestId('pin-state')).toHaveAttribute(
    'data-state',
    'pinned',
    {
      timeout: 240_000,
    },
  )
  const link = await shareLinkOf(alice, name)
  const bob = await openPerson(browser, relay, 'bob', link)
  const peer = await timesOf(bob, name, 'direct-webrtc')
  await Promise.all([alice.page.context().close(), bob.page.context().close()])
  const cy = await openPerson(browser, relay, 'cy', link)
  const gateway = await timesOf(cy, name, 'gateway')
  await cy.page.context().close()
  return { peer, gateway }
}
