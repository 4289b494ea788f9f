import { addFile, expect, openPerson, pseudoRandomBytes, setPrivacy, shareLinkOf } from '../e2e/fixtures.ts'
import { RAW_CHANNEL_SETTINGS, rawDataChannelMs } from './raw-datachannel.ts'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)

/**
 * Run in Bob's page before it loads: each animation frame notes when the
 * transfer's progress bar last moved, so the longest time it stood still can
 * be told from the rate. (A string, not a function: the page runs it as is.)
 */
const WATCH_PROGRESS = `(() => {
  const moves = []
  window.benchProgressMoves = moves
  let last
  const tick = () => {
    const bar = document.querySelector('[data-testid="transfer"] progress')
    if (bar !== null && bar.value !== last) {
      last = bar.value
      moves.push(performance.timeOrigin + performance.now())
    }
    requestAnimationFrame(tick)
  }
  requestAnimationFrame(tick)
})()`
const FILE_BYTES = 32 * 1024 * 1024
const MB = 1_000_000

/**
 * A 32 MiB public file, Bob opening its share link in a fresh page load: boot,
 * relay, WebRTC dial, then the transfer over the blocks protocol (every block
 * verified and stored in IndexedDB). In the same round, a plain RTCDataChannel
 * between the same two pages carries the same number of bytes.
 */
export async function transferFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const loadToLink: number[] = []
  const app: number[] = []
  const raw: number[] = []
  const pauses: number[] = []
  for (let r = 0; r < ROUNDS; r++) {
    const alice = await openPerson(browser, relay, 'alice')
    const bob = await openPerson(browser, relay, 'bob')
    try {
      const name = `bench-${r}.bin`
      await addFile(alice, name, 'application/octet-stream', pseudoRandomBytes(FILE_BYTES, 1000 + r))
      await setPrivacy(alice, name, 'Public: anyone')
      const link = await shareLinkOf(alice, name)
      await bob.page.goto('about:blank')
      await bob.page.addInitScript({ content: WATCH_PROGRESS })
      await bob.page.goto(link)
      const transfer = bob.page.getByTestId('transfer')
      await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 180_000 })
      await expect(transfer).toHaveAttribute('data-path', 'direct-webrtc')
      const timeOrigin = await bob.page.evaluate(() => performance.timeOrigin)
      const linkedAt = Number(await transfer.getAttribute('data-linked-at'))
      const finishedAt = Number(await transfer.getAttribute('data-finished-at'))
      loadToLink.push(linkedAt - timeOrigin)
      app.push(FILE_BYTES / MB / ((finishedAt - linkedAt) / 1000))
      pauses.push(
        longestPause(
          await bob.page.evaluate(() => (window as unknown as { benchProgressMoves: number[] }).benchProgressMoves),
          linkedAt,
          finishedAt,
        ),
      )
      // the plain channel at its own best: each of its settings tried, the fastest kept
      let rawMs = Infinity
      for (const settings of RAW_CHANNEL_SETTINGS)
        rawMs = Math.min(rawMs, await rawDataChannelMs(alice.page, bob.page, FILE_BYTES, settings))
      raw.push(FILE_BYTES / MB / (rawMs / 1000))
      console.log(
        `  round ${r + 1}/${ROUNDS}: app ${app.at(-1)?.toFixed(1)} MB/s (longest pause ${pauses.at(-1)?.toFixed(0)} ms), raw ${raw.at(-1)?.toFixed(1)} MB/s`,
      )
    } finally {
      await Promise.all([alice.page.context().close(), bob.page.context().close()])
    }
  }
  return [
    figure('transfer', '32 MiB browser → browser (blocks protocol, verify, IndexedDB both sides)', 'MB/s', 'higher', app, {
      reference: { name: 'plain RTCDataChannel, same browsers, best of 64/256 KiB messages and deep/shallow send buffers', samples: raw },
      paired: true,
      goal: 0.8,
    }),
    figure('transfer', '32 MiB browser → browser: the longest time the progress bar stood still', 'ms', 'lower', pauses),
    figure('transfer', 'page load → direct WebRTC link (share link opened)', 'ms', 'lower', loadToLink),
  ]
}

/**
 * The longest gap between moves of the progress bar from the direct link to
 * the end. The bar moves at most every 100 ms (PROGRESS_INTERVAL_MS), so a
 * transfer that never stalls still shows about that.
 */
function longestPause(moves: number[], from: number, to: number): number {
  let longest = 0
  let previous = from
  for (const t of [...moves.filter((m) => m > from && m < to), to]) {
    longest = Math.max(longest, t - previous)
    previous = t
  }
  return longest
}
