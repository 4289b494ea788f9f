import { build } from 'esbuild'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'

const ROUNDS = Number(process.env.BENCH_INGEST_ROUNDS ?? 5)
const BYTES = 100 * 1024 * 1024
const MB = 1_000_000

/**
 * 100 MiB of random bytes added to the library in a real Chromium page
 * (chunk, hash, verify, IndexedDB, index), and in the same round the same
 * bytes put into IndexedDB as plain 256 KiB chunks, the order alternating.
 */
export async function ingestFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const bundle = await build({
    entryPoints: ['bench/ingest-page.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    minify: true,
  })
  const context = await browser.newContext()
  const app: number[] = []
  const plain: number[] = []
  const stored: number[] = []
  try {
    const page = await context.newPage()
    // a blank page of the relay's origin: IndexedDB as the app has it, and nothing else running
    const url = `${relay.url}bench-ingest`
    await page.route(url, async (route) => await route.fulfill({ contentType: 'text/html', body: '<!doctype html><title>ingest</title>' }))
    await page.goto(url)
    await page.addScriptTag({ content: bundle.outputFiles[0]?.text ?? '' })
    for (let r = 0; r < ROUNDS; r++) {
      const { appMs, storedBytes, plainMs } = await page.evaluate(
        async ([bytes, round]) =>
          await (
            window as unknown as {
              benchIngestRound: (b: number, r: number) => Promise<{ appMs: number; storedBytes: number; plainMs: number }>
            }
          ).benchIngestRound(bytes as number, round as number),
        [BYTES, r],
      )
      app.push(BYTES / MB / (appMs / 1000))
      plain.push(BYTES / MB / (plainMs / 1000))
      stored.push(storedBytes / 2 ** 20)
      console.log(
        `  round ${r + 1}/${ROUNDS}: app ${app.at(-1)?.toFixed(1)} MB/s, plain puts ${plain.at(-1)?.toFixed(1)} MB/s; stored ${stored.at(-1)?.toFixed(0)} MiB`,
      )
    }
  } finally {
    await context.close()
  }
  return [
    figure('ingest', 'CAS ingest of 100 MiB in the browser (chunk, hash, verify, IndexedDB, index)', 'MB/s', 'higher', app, {
      reference: { name: 'plain IndexedDB puts, same bytes, same 256 KiB chunks', samples: plain },
      paired: true,
      goal: 0.7,
    }),
    figure('ingest', "the browser's storage a 100 MiB file takes (IndexedDB, as the browser counts it)", 'MiB', 'lower', stored),
  ]
}
