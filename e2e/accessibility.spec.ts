import AxeBuilder from '@axe-core/playwright'
import type { Page } from '@playwright/test'
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

/** Nothing is pushed off to the side: the page is no wider than the window. */
async function overflow(page: Page): Promise<number> {
  return await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth)
}

test('every tab and dialog passes the accessibility audit, and fits the window, at 360 and 1280 px wide', async ({ browser, relay }) => {
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
