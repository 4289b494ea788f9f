import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { build } from 'esbuild'
import type { Browser, Page } from '@playwright/test'
import { expect } from '../e2e/fixtures.ts'

/** y-webrtc's own signalling server (from its package), on a free loopback port. */
export async function startSignaling(): Promise<{ url: string; stop: () => void }> {
  const port = await new Promise<number>((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => resolve(typeof address === 'object' && address !== null ? address.port : 0))
    })
  })
  const child = spawn(process.execPath, ['node_modules/y-webrtc/bin/server.js'], {
    env: { ...process.env, PORT: String(port) },
    stdio: 'pipe',
  })
  await new Promise<void>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => chunk.toString().includes('running') && resolve())
    child.once('exit', (code) => reject(new Error(`y-webrtc signalling exited with ${code}`)))
  })
  return { url: `ws://127.0.0.1:${port}`, stop: () => child.kill('SIGTERM') }
}

/** Two pages, each with a Yjs document, y-webrtc and the same CodeMirror binding as the app's notes. */
export async function openReferencePair(browser: Browser, pageUrl: string, signaling: string): Promise<[Page, Page]> {
  const bundle = await build({
    entryPoints: ['bench/y-webrtc-page.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    minify: true,
  })
  const script = bundle.outputFiles[0]?.text ?? ''
  const room = `bench-${Date.now()}`
  const pages = await Promise.all(
    ['ref-a', 'ref-b'].map(async (name) => {
      const page = await (await browser.newContext()).newPage()
      await page.goto(pageUrl)
      await page.addScriptTag({ content: script })
      await page.evaluate((args) => (window as unknown as { benchStart: (...a: string[]) => void }).benchStart(...args), [
        room,
        signaling,
        name,
      ] as [string, string, string])
      return page
    }),
  )
  for (const page of pages) await expect.poll(async () => await referencePeers(page), { timeout: 30_000 }).toBeGreaterThan(0)
  return pages as [Page, Page]
}

export async function referencePeers(page: Page): Promise<number> {
  return await page.evaluate(() => (window as unknown as { benchPeers: () => number }).benchPeers())
}

export async function setReferenceOffline(page: Page, offline: boolean): Promise<void> {
  await page.evaluate((o) => (window as unknown as { benchOffline: (o: boolean) => void }).benchOffline(o), offline)
}
