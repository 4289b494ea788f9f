import type { Browser, Page } from '@playwright/test'
import type { RelayProcess } from '../e2e/relay-process.ts'
import { expect, openPerson, type Person } from '../e2e/fixtures.ts'
import { noteEditor as content, noteTextOf as noteText } from '../e2e/notes.ts'
import { openReferencePages, openReferencePair, referencePeers, setReferenceOffline, startSignaling } from './y-webrtc.ts'

const SAMPLES = Number(process.env.BENCH_EDITS ?? 50)
const OFFLINE_EDITS = 1000

export interface SyncFigures {
  editLatencyMs: number[]
  offlineConvergeMs: number
}

/**
 * A presses a key, every other editor shows it: keydown time on A to the DOM
 * change on the last of them, per edit (one machine, one clock).
 */
async function editLatency(a: Page, others: Page[]): Promise<number[]> {
  // the editor loads on demand: wait for it on every side
  await Promise.all([a, ...others].map(async (page) => await content(page).waitFor()))
  await a.evaluate(() => {
    const sent: number[] = []
    Object.assign(window, { benchSent: sent })
    document.addEventListener('keydown', () => sent.push(performance.timeOrigin + performance.now()), true)
  })
  for (const b of others)
    await b.evaluate(() => {
      const seen: number[] = []
      Object.assign(window, { benchSeen: seen })
      const el = document.querySelector('[data-testid="note-editor"] .cm-content') as HTMLElement
      // counts the x's in the text itself, not in other people's cursor name tags
      // (no named helpers in here: the bundler would wrap them in a function the page lacks)
      new MutationObserver(() => {
        const now = performance.timeOrigin + performance.now()
        let n = 0
        const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT)
        for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
          if (node.parentElement?.closest('.cm-ySelectionCaret') === null) n += (node.textContent ?? '').split('x').length - 1
        }
        while (seen.length < n) seen.push(now)
      }).observe(el, { subtree: true, childList: true, characterData: true })
    })
  const seenBy = async (b: Page) => await b.evaluate(() => (window as unknown as { benchSeen: number[] }).benchSeen)
  await content(a).click()
  for (let i = 0; i < SAMPLES; i++) {
    await a.keyboard.press('x')
    for (const b of others) await expect.poll(async () => (await seenBy(b)).length).toBe(i + 1)
    await new Promise((r) => setTimeout(r, 50))
  }
  const sent = await a.evaluate(() => (window as unknown as { benchSent: number[] }).benchSent)
  const seen = await Promise.all(others.map(seenBy))
  return sent.slice(0, SAMPLES).map((t, i) => Math.max(...seen.map((times) => times[i] as number)) - t)
}

/** Both make 1000 edits offline, then go online together: time until both notes are equal and hold every edit. */
async function offlineMerge(a: Page, b: Page, setOffline: (page: Page, offline: boolean) => Promise<void>): Promise<number> {
  await setOffline(a, true)
  await setOffline(b, true)
  for (const [page, ch] of [
    [a, 'a'],
    [b, 'b'],
  ] as const) {
    await content(page).click()
    await page.keyboard.press('Control+End')
    await page.keyboard.type(ch.repeat(OFFLINE_EDITS))
    await expect.poll(async () => (await noteText(page)).split(ch).length - 1).toBe(OFFLINE_EDITS)
  }
  const start = Date.now()
  await Promise.all([setOffline(a, false), setOffline(b, false)])
  await expect
    .poll(
      async () => {
        const [x, y] = await Promise.all([noteText(a), noteText(b)])
        return x === y && x.split('a').length - 1 === OFFLINE_EDITS && x.split('b').length - 1 === OFFLINE_EDITS
      },
      { timeout: 120_000, intervals: [50] },
    )
    .toBe(true)
  return Date.now() - start
}

async function appSwitch(page: Page, offline: boolean): Promise<void> {
  await page.getByLabel('Work offline').click()
  await expect(page.getByLabel('Work offline')).toBeChecked({ checked: offline })
}

/** The app: two people in one space over the relay and a direct WebRTC link. */
export async function appFigures(browser: Browser, relay: RelayProcess): Promise<SyncFigures> {
  const ann = await openPerson(browser, relay, 'ann')
  const bob = await openPerson(browser, relay, 'bob')
  try {
    await joinedPair(ann, bob)
    const editLatencyMs = await editLatency(ann.page, [bob.page])
    return { editLatencyMs, offlineConvergeMs: await offlineMerge(ann.page, bob.page, appSwitch) }
  } finally {
    await Promise.all([ann.page.context().close(), bob.page.context().close()])
  }
}

/** The reference: y-webrtc with its own signalling server, same editor binding, same browser. */
export async function yWebrtcFigures(browser: Browser, relay: RelayProcess): Promise<SyncFigures> {
  const signaling = await startSignaling()
  try {
    const [a, b] = await openReferencePair(browser, `${relay.url}health`, signaling.url)
    try {
      const editLatencyMs = await editLatency(a, [b])
      const offlineConvergeMs = await offlineMerge(a, b, async (page, offline) => {
        await setReferenceOffline(page, offline)
        if (offline) await expect.poll(async () => await referencePeers(page)).toBe(0)
      })
      return { editLatencyMs, offlineConvergeMs }
    } finally {
      await Promise.all([a.context().close(), b.context().close()])
    }
  } finally {
    signaling.stop()
  }
}

export async function joinedPair(ann: Person, bob: Person): Promise<void> {
  await joinedSpace(ann, [bob])
}

/** Ann makes a space "Bench" and invites each of the others; they open it, Ann sees every one in sync, and each is linked to every other directly. */
async function joinedSpace(ann: Person, others: Person[]): Promise<void> {
  await ann.page.getByRole('tab', { name: 'Spaces' }).click()
  await ann.page.getByLabel('New space name').fill('Bench')
  await ann.page.getByRole('button', { name: 'Create space' }).click()
  for (const other of others) {
    await ann.page.getByRole('button', { name: 'Create invitation' }).click()
    const link = await ann.page.getByRole('textbox', { name: 'Invitation link' }).last().inputValue()
    await other.page.goto(link)
    await expect(other.page.getByRole('heading', { name: 'Bench' })).toBeVisible({ timeout: 30_000 })
  }
  await expect(ann.page.getByTestId('member').filter({ hasText: 'in sync' })).toHaveCount(others.length, { timeout: 60_000 })
  // y-webrtc edits only once its direct links are up: the app is measured the same way, every link direct
  for (const person of [ann, ...others])
    await expect(person.page.locator('[data-testid="member"][data-link="direct"]')).toHaveCount(others.length, { timeout: 60_000 })
}

/** One edit reaching every other member of a space of `members` (the app), and of a y-webrtc room of as many (the reference). */
export async function groupEditLatency(
  browser: Browser,
  relay: RelayProcess,
  members: number,
): Promise<{ app: number[]; reference: number[] }> {
  const people = await Promise.all(Array.from({ length: members }, async (_, i) => await openPerson(browser, relay, `member-${i}`)))
  let app: number[]
  try {
    await joinedSpace(people[0] as Person, people.slice(1))
    app = await editLatency(
      (people[0] as Person).page,
      people.slice(1).map((p) => p.page),
    )
  } finally {
    await Promise.all(people.map(async (p) => await p.page.context().close()))
  }
  const signaling = await startSignaling()
  try {
    const pages = await openReferencePages(browser, `${relay.url}health`, signaling.url, members)
    try {
      return { app, reference: await editLatency(pages[0] as Page, pages.slice(1)) }
    } finally {
      await Promise.all(pages.map(async (p) => await p.context().close()))
    }
  } finally {
    signaling.stop()
  }
}
