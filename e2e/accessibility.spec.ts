import AxeBuilder from '@axe-core/playwright'
import type { Locator, Page } from '@playwright/test'
import { addFile, expect, openPerson, test } from './fixtures.ts'
import { createSpace } from './notes.ts'

const TABS = ['Library', 'Spaces', 'Entries', 'Verify', 'Trust', 'Identity']

/** The audit's serious and critical findings, one line each (what, how many, where). */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze()
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map(
      (v) =>
        `${v.id} (${v.nodes.length}): ${v.help} — ${v.nodes
          .slice(0, 3)
          .map((n) => n.target.join(' '))
          .join('; ')}`,
    )
}

/**
 * Form controls in sight with no visible label: a <label> for them with text,
 * an aria-labelledby, or the column header of the table cell they sit in
 * (on a phone, the cell's own caption). A placeholder or aria-label alone is
 * not enough.
 */
async function unlabelled(page: Page): Promise<string[]> {
  return await page.evaluate(() =>
    [...document.querySelectorAll<HTMLInputElement | HTMLSelectElement | HTMLTextAreaElement>('input, select, textarea')]
      .filter((el) => el.getClientRects().length > 0 && el.closest('.cm-editor') === null)
      .filter(
        (el) =>
          ![...(el.labels ?? [])].some((l) => l.getClientRects().length > 0 && (l.textContent ?? '').trim() !== '') &&
          el.getAttribute('aria-labelledby') === null &&
          el.closest('td[data-label]') === null,
      )
      .map((el) => `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.id}"`),
  )
}

/** Nothing is pushed off to the side: the page is no wider than the window. */
async function overflow(page: Page): Promise<number> {
  return await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

test('every tab and dialog passes the accessibility audit, fits the window and labels every control in sight, at 360 and 1280 px wide', async ({
  browser,
  relay,
}) => {
  test.setTimeout(120_000)
  const ann = await openPerson(browser, relay, 'ann')
  await addFile(ann, 'notes.txt', 'text/plain', Buffer.from('Notes for the audit'))
  await createSpace(ann, 'Audit')
  for (const width of [360, 1280]) {
    await ann.page.setViewportSize({ width, height: 800 })
    for (const tab of TABS) {
      await ann.page.getByRole('tab', { name: tab }).click()
      await expect(ann.page.getByRole('tabpanel', { name: tab })).toBeVisible()
      expect(await seriousViolations(ann.page), `${tab} at ${width} px`).toEqual([])
      expect(await overflow(ann.page), `${tab} at ${width} px: wider than the window by`).toBeLessThanOrEqual(0)
      expect(await unlabelled(ann.page), `${tab} at ${width} px: controls with no visible label`).toEqual([])
      await ann.page.screenshot({ path: test.info().outputPath(`${tab.toLowerCase()}-${width}.png`), fullPage: true })
    }
    await ann.page.getByRole('tab', { name: 'Library' }).click()
    for (const [button, title] of [
      ['Preview notes.txt', 'Preview of notes.txt'],
      ['Share notes.txt', 'Share notes.txt'],
    ] as const) {
      await ann.page.getByRole('button', { name: button }).click()
      const dialog = ann.page.getByRole('dialog', { name: title })
      await expect(dialog).toBeVisible()
      expect(await seriousViolations(ann.page), `${title} at ${width} px`).toEqual([])
      await ann.page.screenshot({ path: test.info().outputPath(`${button.split(' ')[0]?.toLowerCase()}-dialog-${width}.png`) })
      await ann.page.keyboard.press('Escape')
      await expect(dialog).toHaveCount(0)
    }
  }
})

/**
 * Presses Tab from the top of the page until the focus has gone all the way
 * round, and names the controls in sight that it never reached.
 */
async function missedByTab(page: Page): Promise<string[]> {
  const total = await page.evaluate(() => {
    const controls = [
      ...document.querySelectorAll<HTMLElement>('button, input, select, textarea, a[href], summary, [contenteditable="true"]'),
    ]
    const inSight = controls.filter(
      (el) => el.getClientRects().length > 0 && !(el as HTMLButtonElement).disabled && el.closest('[hidden], [inert]') === null,
    )
    inSight.forEach((el, i) => el.setAttribute('data-kbd', String(i)))
    ;(document.activeElement as HTMLElement | null)?.blur()
    return inSight.length
  })
  const reached = new Set<string>()
  // each press lands on the next control; twice the count leaves room for any not in the list
  for (let i = 0; i < total * 2 + 10 && reached.size < total; i++) {
    await page.keyboard.press('Tab')
    const at = await page.evaluate(() => document.activeElement?.closest('[data-kbd]')?.getAttribute('data-kbd') ?? null)
    if (at !== null) reached.add(at)
  }
  return await page.evaluate(
    (seen) =>
      [...document.querySelectorAll<HTMLElement>('[data-kbd]')]
        .filter((el) => !seen.includes(el.getAttribute('data-kbd') ?? ''))
        .map((el) => `${el.tagName.toLowerCase()} "${el.getAttribute('aria-label') ?? el.textContent?.trim().slice(0, 40) ?? ''}"`),
    [...reached],
  )
}

/** Presses Tab until `target` has the focus (at most `limit` presses). */
async function tabTo(page: Page, target: Locator, limit = 80): Promise<void> {
  for (let i = 0; i < limit; i++) {
    if (await target.evaluate((el) => el === document.activeElement)) return
    await page.keyboard.press('Tab')
  }
  await expect(target).toBeFocused()
}

test('every control is reachable by keyboard, and a space is made and a file shared with the keyboard alone', async ({
  browser,
  relay,
}) => {
  test.setTimeout(120_000)
  const ann = await openPerson(browser, relay, 'ann')
  const page = ann.page
  await addFile(ann, 'keys.txt', 'text/plain', Buffer.from('Typed, not clicked'))
  await createSpace(ann, 'Audit')
  for (const tab of TABS) {
    await page.getByRole('tab', { name: tab }).click()
    await expect(page.getByRole('tabpanel', { name: tab })).toBeVisible()
    expect(await missedByTab(page), `${tab}: never reached by Tab`).toEqual([])
  }

  // the keyboard alone: to the Spaces tab, a new space named and made with Enter
  await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur())
  await tabTo(page, page.getByRole('tab', { name: 'Spaces' }))
  await page.keyboard.press('Enter')
  await tabTo(page, page.getByLabel('New space name'))
  await page.keyboard.type('Keys')
  await page.keyboard.press('Enter')
  await expect(page.getByRole('heading', { name: 'Keys' })).toBeVisible()
  // to the library, a file's share dialog opened with Enter and closed with Escape
  await tabTo(page, page.getByRole('tab', { name: 'Library' }))
  await page.keyboard.press('Enter')
  await tabTo(page, page.getByRole('button', { name: 'Share keys.txt' }))
  await page.keyboard.press('Enter')
  const dialog = page.getByRole('dialog', { name: 'Share keys.txt' })
  await expect(dialog.getByLabel('Share link', { exact: true })).toHaveValue(/#share=/)
  await page.keyboard.press('Escape')
  await expect(dialog).toHaveCount(0)
})
