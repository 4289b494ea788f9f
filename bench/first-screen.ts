import type { Browser } from '@playwright/test'
import { startRelayProcess, type RelayProcess } from '../e2e/relay-process.ts'
import { firstScreenJs } from '../scripts/first-screen.ts'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'

export interface FirstScreenRound {
  /** Navigation start → the library and the person's identity shown, on a first visit (nothing cached). */
  coldMs: number
  /** The same on a reload once the first visit is over: from the service worker when the build has one, else the HTTP cache. */
  warmMs: number
  /** Whether a service worker served the reload. */
  fromServiceWorker: boolean
}

/**
 * Opens the app `rounds` times in a new browser context (cold), then reloads
 * it (warm). The page records, on one clock from navigation start, when the
 * first usable screen is there: the person's identity in the header and the
 * library's "Add files…" button. Works on any build of the app, so an older
 * one can be measured beside it (BENCH_BASELINE_DIST).
 */
async function firstScreenRounds(browser: Browser, relay: RelayProcess, rounds: number): Promise<FirstScreenRound[]> {
  const figures: FirstScreenRound[] = []
  for (let r = 0; r < rounds; r++) {
    const context = await browser.newContext()
    try {
      // a string, not a function: the bundler would wrap a function in helpers the page lacks
      await context.addInitScript(`
        new MutationObserver((_, observer) => {
          const named = document.querySelector('header .who') !== null
          const library = [...document.querySelectorAll('button')].some((b) => (b.textContent || '').includes('Add files'))
          if (named && library) {
            window.benchUsableAt = performance.now()
            observer.disconnect()
          }
        }).observe(document, { childList: true, subtree: true })
      `)
      const page = await context.newPage()
      const usableAt = async (): Promise<number> => {
        await page.waitForFunction(() => 'benchUsableAt' in window, undefined, { timeout: 30_000 })
        return await page.evaluate(() => (window as unknown as { benchUsableAt: number }).benchUsableAt)
      }
      await page.goto(relay.url)
      const coldMs = await usableAt()
      // the first visit is over once the page loaded and its service worker (if any) is active:
      // the reload is then served by it
      await page.waitForLoadState('load')
      await page.evaluate(async () => {
        if ((await fetch('/sw.js', { method: 'HEAD' })).ok) await navigator.serviceWorker.ready
      })
      await page.reload()
      const warmMs = await usableAt()
      const fromServiceWorker = await page.evaluate(() => navigator.serviceWorker.controller !== null)
      figures.push({ coldMs, warmMs, fromServiceWorker })
    } finally {
      await context.close()
    }
  }
  return figures
}

const ROUNDS = Number(process.env.BENCH_FIRST_SCREEN_ROUNDS ?? 10)

/**
 * The first screen of this build; with BENCH_BASELINE_DIST=<dir>, an older
 * build (served by the same relay code) measured beside it, round by round.
 */
export async function firstScreenFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const baselineDist = process.env.BENCH_BASELINE_DIST
  const baseline = baselineDist === undefined ? undefined : await startRelayProcess({ staticDir: baselineDist })
  const ours: FirstScreenRound[] = []
  const theirs: FirstScreenRound[] = []
  try {
    // the builds alternate round by round, so the machine's drift falls on both alike
    for (let r = 0; r < ROUNDS; r++) {
      if (baseline !== undefined) theirs.push(...(await firstScreenRounds(browser, baseline, 1)))
      ours.push(...(await firstScreenRounds(browser, relay, 1)))
    }
  } finally {
    await baseline?.stop()
  }
  const served = ours.every((r) => r.fromServiceWorker) ? 'service worker' : 'HTTP cache'
  const against = (name: string, pick: (r: FirstScreenRound) => number) =>
    baselineDist === undefined ? {} : { reference: { name: `${name}, ${baselineDist}`, samples: theirs.map(pick) }, paired: true }
  const js = firstScreenJs('dist')
  const figures = [
    figure('first-screen', 'initial JavaScript, gzipped', 'kB', 'lower', [js.gzipBytes / 1000], {
      ...(baselineDist === undefined ? {} : { reference: { name: baselineDist, samples: [firstScreenJs(baselineDist).gzipBytes / 1000] } }),
    }),
    figure(
      'first-screen',
      'navigation → identity and library shown, first visit',
      'ms',
      'lower',
      ours.map((r) => r.coldMs),
      against('first visit', (r) => r.coldMs),
    ),
    figure(
      'first-screen',
      `navigation → identity and library shown, reload (${served})`,
      'ms',
      'lower',
      ours.map((r) => r.warmMs),
      against('reload', (r) => r.warmMs),
    ),
  ]
  return figures
}
