import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { Page } from '@playwright/test'
import { addFile, expect, openPerson, test } from './fixtures.ts'
import { createSpace, invite, noteTextOf, openSpaces, typeInNote } from './notes.ts'
import { startRelayProcess } from './relay-process.ts'

/** The service worker has stored the app: from now on it starts without a network. */
async function appKept(page: Page): Promise<void> {
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready
  })
}

test('visited once, the app starts with the relay down: the library and a space note are there, an edit made then reaches the other member once the relay is back', async ({
  browser,
  relay,
}) => {
  test.setTimeout(180_000)
  const ann = await openPerson(browser, relay, 'ann')
  const bob = await openPerson(browser, relay, 'bob')
  await addFile(ann, 'kept.txt', 'text/plain', Buffer.from('kept in this browser'))
  await createSpace(ann, 'Field notes')
  await bob.page.goto(await invite(ann, 'read and write'))
  await expect(bob.page.getByRole('heading', { name: 'Field notes' })).toBeVisible({ timeout: 30_000 })
  await typeInNote(ann, 'before the outage.')
  await expect.poll(async () => await noteTextOf(bob.page), { timeout: 15_000 }).toContain('before the outage.')
  await appKept(ann.page)

  await relay.stop()
  await ann.page.reload()
  // the page came from the service worker: the relay is gone, and the app says so in words
  await expect(ann.page.getByTestId('network-indicator')).toHaveText(/^(Offline: relay unreachable|Connecting…)$/, { timeout: 15_000 })
  // it opens where Ann was, in the space's note; her library is there too
  await expect.poll(async () => await noteTextOf(ann.page)).toContain('before the outage.')
  await ann.page.getByRole('tab', { name: 'Library' }).click()
  await expect(ann.page.getByTestId('file-row').filter({ hasText: 'kept.txt' })).toBeVisible()
  await openSpaces(ann)
  await typeInNote(ann, ' Written offline after a reload.')
  await ann.page.screenshot({ path: test.info().outputPath('offline-start.png'), fullPage: true })

  const again = await startRelayProcess({ keyFile: relay.keyFile, port: relay.port })
  try {
    await expect.poll(async () => await noteTextOf(bob.page), { timeout: 60_000 }).toContain('Written offline after a reload.')
  } finally {
    await again.stop()
  }
})

test('a new version is offered, not forced: it waits while the person types, and reloading into it loses no edit', async ({ browser }) => {
  test.setTimeout(120_000)
  // a copy of the build, so a new version can be served from it
  const site = mkdtempSync(join(tmpdir(), 'cas-disot-site-'))
  cpSync('dist', site, { recursive: true })
  let relay = await startRelayProcess({ staticDir: site })
  try {
    const ann = await openPerson(browser, relay, 'ann')
    await createSpace(ann, 'Drafts')
    await typeInNote(ann, 'First words.')
    await appKept(ann.page)
    await expect(ann.page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0)

    // a new build deployed: the server restarts with a service worker that differs
    // (its compressed copies go, so the new one is what is served)
    await relay.stop()
    const worker = join(site, 'sw.js')
    writeFileSync(worker, `${readFileSync(worker, 'utf8')}\n// the next build\n`)
    for (const copy of ['sw.js.gz', 'sw.js.br']) rmSync(join(site, copy), { force: true })
    relay = await startRelayProcess({ staticDir: site, keyFile: relay.keyFile, port: relay.port })

    await ann.page.reload()
    await expect(ann.page.getByRole('status').filter({ hasText: 'A new version of the app is ready' })).toBeVisible({ timeout: 30_000 })
    await openSpaces(ann)
    await ann.page.getByRole('button', { name: 'Drafts' }).click()
    await typeInNote(ann, ' Typed while the new version waited.')
    // still offered, not applied: the page was not reloaded under the edit
    await expect(ann.page.getByRole('button', { name: 'Reload to update' })).toBeVisible()
    await expect.poll(async () => await noteTextOf(ann.page)).toContain('Typed while the new version waited.')

    await ann.page.getByRole('button', { name: 'Reload to update' }).click()
    await ann.page.waitForEvent('load')
    await expect(ann.page.getByRole('heading', { name: 'CAS/DISOT Peer' })).toBeVisible()
    await expect(ann.page.getByRole('button', { name: 'Reload to update' })).toHaveCount(0)
    // the new version is the one running, with nothing left waiting
    const waiting = await ann.page.evaluate(async () => (await navigator.serviceWorker.getRegistration())?.waiting ?? null)
    expect(waiting).toBeNull()
    await openSpaces(ann)
    await ann.page.getByRole('button', { name: 'Drafts' }).click()
    await expect.poll(async () => await noteTextOf(ann.page)).toBe('First words. Typed while the new version waited.')
  } finally {
    await relay.stop()
    rmSync(site, { recursive: true, force: true })
  }
})
