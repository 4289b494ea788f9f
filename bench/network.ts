import type { Browser } from '@playwright/test'
import type { RelayProcess } from '../e2e/relay-process.ts'
import { expect, openPerson } from '../e2e/fixtures.ts'
import { noteEditor, typeInNote } from '../e2e/notes.ts'
import { joinedPair } from './spaces.ts'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'

export interface NetworkRound {
  /** Navigation start → Ann shown with her proven DID over any connection (relayed first). */
  provenMs: number
  /** Navigation start → Ann shown with her proven DID over a direct WebRTC link. */
  directMs: number
  /** Navigation start → the note open in Bob's editor (the page's own readiness, for scale). */
  editorMs: number
  /** Navigation start → an edit Ann made while Bob was away is shown in his editor. */
  firstEditMs: number
}

/**
 * Bob reloads the app `rounds` times while Ann stays. Each time Ann edits the
 * note while he is away; the page records (from navigation start, one clock)
 * when Ann is proven over any connection, over a direct link, and when her
 * edit shows in his editor.
 */
async function networkRounds(browser: Browser, relay: RelayProcess, rounds: number): Promise<NetworkRound[]> {
  const ann = await openPerson(browser, relay, 'ann')
  const bob = await openPerson(browser, relay, 'bob')
  try {
    await joinedPair(ann, bob)
    // no named helpers in here: the bundler would wrap them in a function the page lacks
    await bob.page.context().addInitScript(() => {
      const marks: Record<string, number> = {}
      Object.assign(window, { benchMarks: marks })
      new MutationObserver(() => {
        const wanted = new URLSearchParams(location.search).get('bench') ?? ''
        const editor = document.querySelector('[data-testid="note-editor"] .cm-content')
        const seen: Record<string, boolean> = {
          proven: document.querySelector('[data-testid="peer"] [data-did^="did:"]') !== null,
          direct: document.querySelector('[data-testid="peer"][data-path="direct-webrtc"] [data-did^="did:"]') !== null,
          editor: editor !== null,
          edit: wanted !== '' && (editor?.textContent ?? '').includes(wanted),
        }
        for (const name of Object.keys(seen)) if (seen[name] === true && marks[name] === undefined) marks[name] = performance.now()
      }).observe(document, { subtree: true, childList: true, characterData: true, attributes: true })
    })
    const results: NetworkRound[] = []
    for (let r = 0; r < rounds; r++) {
      await bob.page.goto('about:blank')
      const marker = `m${r}x${Date.now() % 100_000}`
      await typeInNote(ann, ` ${marker}`)
      // the marker rides in the query (the app ignores it): the page knows what to look for from its first instant
      await bob.page.goto(`${relay.url}?bench=${marker}`)
      await bob.page.getByRole('tab', { name: 'Spaces' }).click()
      await bob.page.getByRole('button', { name: 'Bench' }).click()
      await expect(noteEditor(bob.page)).toContainText(marker, { timeout: 60_000 })
      await expect(bob.page.locator('[data-testid="peer"][data-path="direct-webrtc"]')).toHaveCount(1, { timeout: 60_000 })
      const marks = await bob.page.evaluate(() => (window as unknown as { benchMarks: Record<string, number> }).benchMarks)
      for (const name of ['proven', 'direct', 'editor', 'edit'])
        if (marks[name] === undefined) throw new Error(`round ${r + 1}: the page never showed "${name}" (${JSON.stringify(marks)})`)
      results.push({
        provenMs: marks.proven as number,
        directMs: marks.direct as number,
        editorMs: marks.editor as number,
        firstEditMs: marks.edit as number,
      })
    }
    return results
  } finally {
    await Promise.all([ann.page.context().close(), bob.page.context().close()])
  }
}

const ROUNDS = Number(process.env.BENCH_NETWORK_ROUNDS ?? 20)

/** Page load of one of two people in a space, from navigation start: the other proven (relayed, then direct), and an edit shown. */
export async function networkFigures(ctx: BenchContext): Promise<Figure[]> {
  const rounds = await networkRounds(await ctx.browser(), await ctx.relay(), ROUNDS)
  const ms = (name: string, pick: (r: NetworkRound) => number) => figure('network', name, 'ms', 'lower', rounds.map(pick))
  const beforeDirect = rounds.filter((r) => r.firstEditMs < r.directMs).length
  console.log(`  an edit was shown before the direct link (over the relay) in ${beforeDirect} of ${rounds.length} loads`)
  return [
    ms('page load → the other member proven, first (relayed) connection', (r) => r.provenMs),
    ms('page load → the other member proven over a direct WebRTC link', (r) => r.directMs),
    ms('page load → the note open in the editor', (r) => r.editorMs),
    ms('page load → an edit made meanwhile shown', (r) => r.firstEditMs),
  ]
}
