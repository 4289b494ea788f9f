import { createHash, randomFillSync } from 'node:crypto'
import { createReadStream } from 'node:fs'
import { open, rm, stat } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import type { CDPSession, Page } from '@playwright/test'
import { expect, openPerson, setPrivacy, shareLinkOf } from '../e2e/fixtures.ts'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'

const MIB = 2 ** 20
const FILE_MIB = Number(process.env.BENCH_LARGE_MIB ?? 1024)
const MEMORY_BUDGET_MIB = 256

/** A file of random bytes on disk, as a person would pick it (the browser reads it from disk, not from the page). */
async function writeRandomFile(path: string, bytes: number): Promise<string> {
  const file = await open(path, 'w')
  const hash = createHash('sha256')
  const chunk = Buffer.alloc(8 * MIB)
  try {
    for (let written = 0; written < bytes; written += chunk.byteLength) {
      const part = chunk.subarray(0, Math.min(chunk.byteLength, bytes - written))
      randomFillSync(part)
      hash.update(part)
      await file.write(part)
    }
  } finally {
    await file.close()
  }
  return hash.digest('hex')
}

async function sha256Of(path: string): Promise<string> {
  const hash = createHash('sha256')
  for await (const part of createReadStream(path)) hash.update(part as Buffer)
  return hash.digest('hex')
}

/** The page's JS heap plus its ArrayBuffers' backing stores, sampled until stopped: the peak, MiB. */
function memoryPeak(page: Page): { stop: () => Promise<number> } {
  let peak = 0
  let running = true
  const sampling = (async () => {
    const cdp: CDPSession = await page.context().newCDPSession(page)
    while (running) {
      const usage = (await cdp.send('Runtime.getHeapUsage')) as { usedSize: number; backingStorageSize?: number }
      peak = Math.max(peak, usage.usedSize + (usage.backingStorageSize ?? 0))
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
    await cdp.detach()
  })()
  return {
    stop: async () => {
      running = false
      await sampling
      return peak / MIB
    },
  }
}

/**
 * A 1 GiB file picked from disk by A, fetched by B over a direct link, then
 * downloaded to disk by B and checked byte for byte. Both pages' memory (JS
 * heap and ArrayBuffers) is sampled throughout; the peak is what counts.
 */
export async function largeFileFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const name = `cas-disot-large-${FILE_MIB}m.bin`
  const path = join(tmpdir(), name)
  const expected = await writeRandomFile(path, FILE_MIB * MIB)
  const alice = await openPerson(browser, relay, 'alice')
  const bob = await openPerson(browser, relay, 'bob')
  const samplers = [memoryPeak(alice.page), memoryPeak(bob.page)]
  let peaks: number[]
  const ms: Record<'add' | 'fetch' | 'download', number> = { add: 0, fetch: 0, download: 0 }
  try {
    let started = Date.now()
    await alice.page.getByLabel('Add files').setInputFiles(path)
    await expect(alice.page.getByTestId('file-row').filter({ hasText: name })).toBeVisible({ timeout: 900_000 })
    ms.add = Date.now() - started
    await setPrivacy(alice, name, 'Public: anyone')
    await bob.page.getByLabel('Open a share link').fill(await shareLinkOf(alice, name))
    await bob.page.getByRole('button', { name: 'Fetch' }).click()
    const transfer = bob.page.getByTestId('transfer').filter({ hasText: name })
    await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 1_800_000 })
    ms.fetch = Number(await transfer.getAttribute('data-finished-at')) - Number(await transfer.getAttribute('data-started-at'))
    started = Date.now()
    const [download] = await Promise.all([
      bob.page.waitForEvent('download', { timeout: 900_000 }),
      bob.page.getByRole('button', { name: `Download ${name}` }).click(),
    ])
    const saved = await download.path()
    ms.download = Date.now() - started
    peaks = await Promise.all(samplers.map(async (s) => await s.stop()))
    if ((await stat(saved)).size !== FILE_MIB * MIB || (await sha256Of(saved)) !== expected)
      throw new Error(`the ${FILE_MIB} MiB file B saved is not the file A picked`)
    console.log(
      `  add ${ms.add} ms, fetch ${ms.fetch} ms, download ${ms.download} ms; peak memory A ${peaks[0]?.toFixed(0)} MiB, B ${peaks[1]?.toFixed(0)} MiB`,
    )
  } finally {
    await Promise.all(samplers.map(async (s) => await s.stop()))
    await Promise.all([alice.page.context().close(), bob.page.context().close()])
    await rm(path, { force: true })
  }
  const mbps = (t: number) => [(FILE_MIB * MIB) / 1e6 / (t / 1000)]
  const size = `${FILE_MIB >= 1024 ? `${FILE_MIB / 1024} GiB` : `${FILE_MIB} MiB`}`
  return [
    figure('large-file', `${size}: A adds it, picked from disk`, 'MB/s', 'higher', mbps(ms.add)),
    figure('large-file', `${size}: B fetches it from A (direct link, verified, IndexedDB)`, 'MB/s', 'higher', mbps(ms.fetch)),
    figure('large-file', `${size}: B downloads it to disk (read back, verified)`, 'MB/s', 'higher', mbps(ms.download)),
    figure('large-file', `${size}: peak JS heap + ArrayBuffers, A`, 'MiB', 'lower', [peaks[0] ?? 0], { limit: MEMORY_BUDGET_MIB }),
    figure('large-file', `${size}: peak JS heap + ArrayBuffers, B`, 'MiB', 'lower', [peaks[1] ?? 0], { limit: MEMORY_BUDGET_MIB }),
  ]
}
