import { spawn } from 'node:child_process'
import { createServer } from 'node:net'
import { createServer as createHttpServer } from 'node:http'
import { build } from 'esbuild'
import type { Browser, BrowserContext, Page } from '@playwright/test'
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
  return (await openReferencePages(browser, pageUrl, signaling, 2)) as [Page, Page]
}

/** The reference page's script: Yjs, y-webrtc, y-indexeddb and the editor binding, bundled. */
export async function referenceScript(): Promise<string> {
  const bundle = await build({
    entryPoints: ['bench/y-webrtc-page.ts'],
    bundle: true,
    write: false,
    format: 'iife',
    platform: 'browser',
    minify: true,
  })
  return bundle.outputFiles[0]?.text ?? ''
}

/**
 * Serves the reference page on loopback, its script inline, so it starts on
 * load as an app page does. (A page made up by the test runner counts as
 * public to Chromium, which then refuses its connections to loopback.)
 */
export async function serveReferencePage(script: string): Promise<{ url: string; stop: () => void }> {
  const html = `<!doctype html><body><script>${script}</script></body>`
  const server = createHttpServer((_, res) => res.writeHead(200, { 'content-type': 'text/html' }).end(html))
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the reference page server has no port')
  return { url: `http://127.0.0.1:${address.port}/`, stop: () => server.close() }
}

/** A reference page joining `room`, with the document kept in IndexedDB by y-indexeddb. */
export async function openPersistentReference(
  context: BrowserContext,
  pageUrl: string,
  init: { room: string; signaling: string; name: string },
): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${pageUrl}?${new URLSearchParams({ ...init, persist: '1' }).toString()}`)
  return page
}

/** `count` such pages in one room, each connected to every other. */
export async function openReferencePages(browser: Browser, pageUrl: string, signaling: string, count: number): Promise<Page[]> {
  const script = await referenceScript()
  const room = `bench-${Date.now()}`
  const pages = await Promise.all(
    Array.from({ length: count }, (_, i) => `ref-${i}`).map(async (name) => {
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
  for (const page of pages) await expect.poll(async () => await referencePeers(page), { timeout: 30_000 }).toBe(count - 1)
  return pages
}

export async function referencePeers(page: Page): Promise<number> {
  return await page.evaluate(() => (window as unknown as { benchPeers: () => number }).benchPeers())
}

export async function setReferenceOffline(page: Page, offline: boolean): Promise<void> {
  await page.evaluate((o) => (window as unknown as { benchOffline: (o: boolean) => void }).benchOffline(o), offline)
}
