import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts'
import { startRelayProcess, type RelayProcess } from '../e2e/relay-process.ts'
import { transferFigures } from './transfer.ts'
import { appFigures, groupEditLatency, yWebrtcFigures } from './spaces.ts'
import { contentFigures } from './content.ts'
import { relayScaleFigures } from './relay-scale.ts'
import { networkFigures } from './network.ts'
import { firstScreenFigures } from './first-screen.ts'
import { credentialFigures } from './credentials.ts'
import { ingestFigures } from './ingest.ts'
import { endToEndFigures } from './end-to-end.ts'
import { largeFileFigures } from './large-file.ts'
import { bigNoteFigures } from './big-note.ts'
import { figure, markdownOf, newRun, saveRun, type Figure } from './results.ts'

// `npm run bench` measures every part; `npm run bench -- ingest transfer` the parts named.
// Every figure is written beside its reference from the same run to
// bench/results/<date>.json, and latest.md is made from every run kept.
// Not a test: nothing here gates CI.

/** What a part needs: one browser and one relay process, started when a part first asks. */
export interface BenchContext {
  browser(): Promise<Browser>
  relay(): Promise<RelayProcess>
}

async function spacesFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const app = await appFigures(browser, relay)
  const reference = await yWebrtcFigures(browser, relay)
  const group = await groupEditLatency(browser, relay, 5)
  return [
    figure('spaces', 'one edit, keydown on A → shown on B (2 browsers)', 'ms', 'lower', app.editLatencyMs, {
      reference: { name: 'y-webrtc, same editor binding', samples: reference.editLatencyMs },
      goal: 1.0,
    }),
    figure('spaces', '1000 offline edits each side → equal after going online', 'ms', 'lower', [app.offlineConvergeMs], {
      reference: { name: 'y-webrtc', samples: [reference.offlineConvergeMs] },
    }),
    figure('spaces', 'one edit, keydown on A → shown on all 4 other members (5 browsers)', 'ms', 'lower', group.app, {
      reference: { name: 'y-webrtc with 5, same editor binding', samples: group.reference },
      goal: 1.2,
    }),
  ]
}

const PARTS: Record<string, (ctx: BenchContext) => Promise<Figure[]>> = {
  transfer: transferFigures,
  ingest: ingestFigures,
  'end-to-end': endToEndFigures,
  'large-file': largeFileFigures,
  content: contentFigures,
  spaces: spacesFigures,
  'big-note': bigNoteFigures,
  network: networkFigures,
  'first-screen': firstScreenFigures,
  relay: async () => await relayScaleFigures(),
  credentials: async () => await credentialFigures(),
}

async function main(): Promise<void> {
  const asked = process.argv.slice(2)
  const unknown = asked.filter((p) => !(p in PARTS))
  if (unknown.length > 0) throw new Error(`no bench part ${unknown.join(', ')}; the parts are: ${Object.keys(PARTS).join(', ')}`)
  const parts = asked.length > 0 ? asked : Object.keys(PARTS)
  let browser: Promise<Browser> | undefined
  let relay: Promise<RelayProcess> | undefined
  const ctx: BenchContext = {
    browser: async () => await (browser ??= chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })),
    relay: async () => await (relay ??= startRelayProcess()),
  }
  const run = newRun(parts)
  try {
    for (const part of parts) {
      const started = Date.now()
      console.log(`bench: ${part}…`)
      const figures = await (PARTS[part] as (ctx: BenchContext) => Promise<Figure[]>)(ctx)
      run.figures.push(...figures)
      console.log(`bench: ${part} done in ${((Date.now() - started) / 1000).toFixed(0)} s`)
    }
  } finally {
    if (browser !== undefined) await (await browser).close()
    if (relay !== undefined) await (await relay).stop()
  }
  const { json, markdown } = await saveRun(run)
  console.log('')
  console.log(markdownOf(new Map(run.figures.map((f) => [`${f.part}\0${f.name}`, [{ figure: f, run }]]))))
  console.log(`written to ${json} and ${markdown}`)
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
