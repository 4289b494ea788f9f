import type { Browser, Page } from '@playwright/test'
import type { RelayProcess } from '../e2e/relay-process.ts'
import { expect, openPerson, type Person } from '../e2e/fixtures.ts'

const SAMPLES = Number(process.env.BENCH_EDITS ?? 50)
const OFFLINE_EDITS = 1000

export interface SpaceFigures {
  editLatencyMs: number[]
  offlineConvergeMs: number
}

const content = (page: Page) => page.getByTestId('note-editor').locator('.cm-content')

/** The note's text without other people's cursor tags. */
async function noteText(page: Page): Promise<string> {
  return await content(page).evaluate((el) => {
    const copy = el.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.cm-ySelectionCaret').forEach((c) => c.remove())
    return [...copy.querySelectorAll('.cm-line')].map((l) => (l.textContent ?? '').replace(/\u2060/g, '')).join('\n')
  })
}

async function setOffline(person: Person, offline: boolean): Promise<void> {
  await person.page.getByLabel('Work offline').click()
  await expect(person.page.getByLabel('Work offline')).toBeChecked({ checked: offline })
}

/**
 * Two people in one space. Edit latency: Ann presses a key, Bob's editor shows
 * it (keydown time on Ann's page to DOM change on Bob's; one machine, one clock).
 * Offline: both make 1000 edits while offline, then go online; time until both
 * notes are equal (relay reconnect, WebRTC dial and merge included).
 */
export async function spaceFigures(browser: Browser, relay: RelayProcess): Promise<SpaceFigures> {
  const ann = await openPerson(browser, relay, 'ann')
  const bob = await openPerson(browser, relay, 'bob')
  try {
    await ann.page.getByRole('tab', { name: 'Spaces' }).click()
    await ann.page.getByLabel('New space name').fill('Bench')
    await ann.page.getByRole('button', { name: 'Create space' }).click()
    await ann.page.getByRole('button', { name: 'Create invitation' }).click()
    const link = await ann.page.getByRole('textbox', { name: 'Invitation link' }).last().inputValue()
    await bob.page.goto(link)
    await expect(bob.page.getByRole('heading', { name: 'Bench' })).toBeVisible({ timeout: 30_000 })
    await expect(ann.page.getByTestId('member').filter({ hasText: 'in sync' })).toHaveCount(1, { timeout: 30_000 })

    await ann.page.evaluate(() => {
      const sent: number[] = []
      Object.assign(window, { benchSent: sent })
      document.addEventListener('keydown', () => sent.push(performance.timeOrigin + performance.now()), true)
    })
    await bob.page.evaluate(() => {
      const seen: number[] = []
      Object.assign(window, { benchSeen: seen })
      const el = document.querySelector('[data-testid="note-editor"] .cm-content') as HTMLElement
      new MutationObserver(() => {
        const count = [...el.querySelectorAll('.cm-line')].map((l) => (l.textContent ?? '').split('x').length - 1).reduce((a, b) => a + b, 0)
        while (seen.length < count) seen.push(performance.timeOrigin + performance.now())
      }).observe(el, { subtree: true, childList: true, characterData: true })
    })
    await content(ann.page).click()
    for (let i = 0; i < SAMPLES; i++) {
      await ann.page.keyboard.press('x')
      await expect.poll(async () => await bob.page.evaluate(() => (window as unknown as { benchSeen: number[] }).benchSeen.length)).toBe(i + 1)
      await new Promise((r) => setTimeout(r, 50))
    }
    const sent = await ann.page.evaluate(() => (window as unknown as { benchSent: number[] }).benchSent)
    const seen = await bob.page.evaluate(() => (window as unknown as { benchSeen: number[] }).benchSeen)
    const editLatencyMs = seen.map((t, i) => t - (sent[i] as number))

    await setOffline(ann, true)
    await setOffline(bob, true)
    for (const [p, ch] of [
      [ann, 'a'],
      [bob, 'b'],
    ] as const) {
      await content(p.page).click()
      await p.page.keyboard.press('Control+End')
      await p.page.keyboard.type(ch.repeat(OFFLINE_EDITS))
      await expect.poll(async () => (await noteText(p.page)).split(ch).length - 1).toBe(OFFLINE_EDITS)
    }
    const start = Date.now()
    await Promise.all([setOffline(ann, false), setOffline(bob, false)])
    await expect
      .poll(
        async () => {
          const [a, b] = await Promise.all([noteText(ann.page), noteText(bob.page)])
          return a === b && a.split('a').length - 1 === OFFLINE_EDITS && a.split('b').length - 1 === OFFLINE_EDITS
        },
        { timeout: 120_000, intervals: [50] },
      )
      .toBe(true)
    return { editLatencyMs, offlineConvergeMs: Date.now() - start }
  } finally {
    await Promise.all([ann.page.context().close(), bob.page.context().close()])
  }
}
