import type { Browser } from '@playwright/test'
import type { RelayProcess } from '../e2e/relay-process.ts'

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
export async function firstScreenRounds(browser: Browser, relay: RelayProcess, rounds: number): Promise<FirstScreenRound[]> {
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
