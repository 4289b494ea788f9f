import { expect, openPerson, test } from './fixtures.ts'
import { createSpace, invite, noteEditor, typeInNote } from './notes.ts'

test('first run: the app says what it is for, takes a name, and the three first steps are one click each; closed, it stays closed', async ({
  browser,
  relay,
}) => {
  const ann = await openPerson(browser, relay, 'ann')
  const page = ann.page
  const welcome = page.getByRole('region', { name: 'Welcome' })
  await expect(welcome).toContainText('shares them directly with the people you choose')
  await expect(welcome.getByRole('button', { name: 'Share a file' })).toBeDisabled()

  await welcome.getByLabel('Your name, as others will see it').fill('Ann')
  await welcome.getByRole('button', { name: 'Save my name' }).click()
  await expect(welcome.getByRole('status')).toHaveText('Others now see you as Ann.')
  await expect(page.locator('header .who')).toContainText('Ann')

  // 1. a file, from the picker the welcome opens
  await page.getByRole('tab', { name: 'Trust' }).click()
  const [chooser] = await Promise.all([page.waitForEvent('filechooser'), welcome.getByRole('button', { name: 'Add a file…' }).click()])
  await chooser.setFiles({ name: 'first.txt', mimeType: 'text/plain', buffer: Buffer.from('my first file') })
  await expect(page.getByRole('tab', { name: 'Library' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByTestId('file-row').filter({ hasText: 'first.txt' })).toBeVisible()

  // 2. its share link
  await welcome.getByRole('button', { name: 'Share a file' }).click()
  const dialog = page.getByRole('dialog', { name: 'Share first.txt' })
  await expect(dialog.getByLabel('Share link', { exact: true })).toHaveValue(/#share=.*cid=/)
  await dialog.getByRole('button', { name: 'Close' }).click()

  // 3. a space: the Spaces tab, with the cursor in the new space's name
  await welcome.getByRole('button', { name: 'Start a space' }).click()
  await expect(page.getByRole('tab', { name: 'Spaces' })).toHaveAttribute('aria-selected', 'true')
  await expect(page.getByLabel('New space name')).toBeFocused()
  await page.keyboard.type('First steps')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'First steps' })).toBeVisible()

  await welcome.getByRole('button', { name: 'Got it, hide this' }).click()
  await expect(welcome).toHaveCount(0)
  // every headline the network indicator shows from here on
  await page.context().addInitScript(() => {
    const seen: string[] = []
    ;(window as unknown as { indicatorSaid: string[] }).indicatorSaid = seen
    new MutationObserver(() => {
      const text = document.querySelector('[data-testid="network-indicator"]')?.textContent
      if (text != null && seen.at(-1) !== text) seen.push(text)
    }).observe(document, { subtree: true, childList: true, characterData: true })
  })
  await page.reload()
  // it opens where Ann was, in her new space; her file is in the library
  await expect(page.getByRole('heading', { name: 'First steps' })).toBeVisible()
  // while the network starts it says so; with the relay up it never calls it unreachable
  await expect(page.getByTestId('network-indicator')).toHaveText(/^Online/, { timeout: 20_000 })
  const said = await page.evaluate(() => (window as unknown as { indicatorSaid: string[] }).indicatorSaid)
  expect(said[0]).toBe('Connecting…')
  expect(said.filter((text) => text.startsWith('Offline'))).toEqual([])
  await page.getByRole('tab', { name: 'Library' }).click()
  await expect(page.getByTestId('file-row').filter({ hasText: 'first.txt' })).toBeVisible()
  await expect(page.locator('header .who')).toContainText('Ann')
  await expect(page.getByRole('region', { name: 'Welcome' })).toHaveCount(0)
})

test('someone who opens an invitation on a phone-sized screen sees the space at once, and the welcome asks only for a name', async ({
  browser,
  relay,
}) => {
  const ann = await openPerson(browser, relay, 'ann')
  await createSpace(ann, 'Garden')
  await typeInNote(ann, 'Plant tomatoes in May.')
  const link = await invite(ann, 'read and write')
  const context = await browser.newContext({ viewport: { width: 390, height: 800 } })
  try {
    const page = await context.newPage()
    await page.goto(link)
    await expect(noteEditor(page)).toContainText('Plant tomatoes in May.', { timeout: 30_000 })
    // the joined space is brought into view: below the welcome and the spaces' forms on a narrow screen
    await expect(page.getByRole('heading', { name: 'Garden' })).toBeInViewport()
    await expect(page.getByRole('heading', { name: 'Garden' })).toBeFocused()
    await expect(noteEditor(page)).toBeInViewport({ ratio: 0.2 })
    const welcome = page.getByRole('region', { name: 'Welcome' })
    await expect(welcome).toContainText('You are joining a space')
    await expect(welcome.getByLabel('Your name, as others will see it')).toBeAttached()
    await expect(welcome.getByRole('heading', { name: 'Things to do first' })).toHaveCount(0)
    // the whole welcome is still there for the next first run that is not a join
    const newcomer = await openPerson(browser, relay, 'cy')
    await expect(newcomer.page.getByRole('heading', { name: 'Things to do first' })).toBeVisible()
  } finally {
    await context.close()
  }
})
