import { createServer, type Server } from 'node:http'
import type { Page } from '@playwright/test'
import { expect, openPerson, setPrivacy, shareLinkOf, type Person } from '../e2e/fixtures.ts'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const FILE_BYTES = 32 * 1024 * 1024
const MB = 1_000_000

/**
 * The central path: one HTTP server on loopback that keeps what is uploaded
 * in memory and hands it back, as a centralized app's server would (CORS
 * open, since the pages are on the relay's origin).
 */
async function startCentralServer(): Promise<{ url: string; server: Server }> {
  const blobs = new Map<string, Buffer>()
  const server = createServer((req, res) => {
    res.setHeader('access-control-allow-origin', '*')
    res.setHeader('access-control-allow-methods', 'GET, PUT')
    res.setHeader('access-control-allow-headers', 'content-type')
    const id = req.url ?? '/'
    if (req.method === 'OPTIONS') return res.writeHead(204).end()
    if (req.method === 'PUT') {
      const parts: Buffer[] = []
      req.on('data', (part: Buffer) => parts.push(part))
      req.on('end', () => {
        blobs.set(id, Buffer.concat(parts))
        res.writeHead(201).end()
      })
      return
    }
    const blob = blobs.get(id)
    if (req.method !== 'GET' || blob === undefined) return res.writeHead(404).end()
    res.writeHead(200, { 'content-type': 'application/octet-stream', 'content-length': blob.byteLength }).end(blob)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const address = server.address()
  if (address === null || typeof address === 'string') throw new Error('the central server has no port')
  return { url: `http://127.0.0.1:${address.port}`, server }
}

/** Random bytes made in the page as a File: what a person picks. Kept on window for both paths of the round. */
async function makeFile(page: Page, name: string): Promise<void> {
  await page.evaluate(
    ([bytes, name]) => {
      const data = new Uint8Array(bytes as number)
      for (let i = 0; i < data.byteLength; i += 65_536) crypto.getRandomValues(data.subarray(i, i + 65_536))
      Object.assign(window, { benchFile: new File([data], name as string, { type: 'application/octet-stream' }) })
    },
    [FILE_BYTES, name],
  )
}

/** A picks the file in the app: from the pick to the file shown in the library (chunked, hashed, stored, indexed). */
async function addThroughApp(person: Person, name: string): Promise<number> {
  const input = await person.page.getByLabel('Add files').elementHandle()
  return await person.page.evaluate(
    async ([input, name]) => {
      const shown = new Promise<number>((resolve) => {
        const observer = new MutationObserver(() => {
          const rows = [...document.querySelectorAll('[data-testid="file-row"]')]
          if (rows.some((r) => (r.textContent ?? '').includes(name))) {
            observer.disconnect()
            resolve(Date.now())
          }
        })
        observer.observe(document, { subtree: true, childList: true, characterData: true })
      })
      const picked = new DataTransfer()
      picked.items.add((window as unknown as { benchFile: File }).benchFile)
      const field = input as HTMLInputElement
      field.files = picked.files
      const started = Date.now()
      field.dispatchEvent(new Event('change', { bubbles: true }))
      return (await shown) - started
    },
    [input, name] as const,
  )
}

/** B opens the share link: from Fetch to the file held, every block verified and in IndexedDB. */
async function fetchThroughApp(person: Person, link: string, name: string): Promise<number> {
  await person.page.getByLabel('Open a share link').fill(link)
  await person.page.getByRole('button', { name: 'Fetch' }).click()
  const transfer = person.page.getByTestId('transfer').filter({ hasText: name })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 180_000 })
  return Number(await transfer.getAttribute('data-finished-at')) - Number(await transfer.getAttribute('data-started-at'))
}

async function uploadCentral(page: Page, url: string): Promise<number> {
  return await page.evaluate(async (url) => {
    const started = Date.now()
    const response = await fetch(url, { method: 'PUT', body: (window as unknown as { benchFile: File }).benchFile })
    if (!response.ok) throw new Error(`upload answered ${response.status}`)
    return Date.now() - started
  }, url)
}

/** B downloads it and keeps it in IndexedDB, as a central app's client would (one Blob, the transaction committed). */
async function downloadCentral(page: Page, url: string): Promise<number> {
  return await page.evaluate(async (url) => {
    const started = Date.now()
    const response = await fetch(url)
    if (!response.ok) throw new Error(`download answered ${response.status}`)
    const blob = await response.blob()
    const db = await new Promise<IDBDatabase>((resolve, reject) => {
      const open = indexedDB.open('bench-central', 1)
      open.onupgradeneeded = () => open.result.createObjectStore('files')
      open.onsuccess = () => resolve(open.result)
      open.onerror = () => reject(open.error ?? new Error('open failed'))
    })
    const tx = db.transaction('files', 'readwrite')
    tx.objectStore('files').put(blob, url)
    await new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve()
      tx.onerror = () => reject(tx.error ?? new Error('put failed'))
    })
    db.close()
    return Date.now() - started
  }, url)
}

/**
 * A picks a 32 MiB file; B holds it. Through the app: A's library adds it,
 * B fetches it by its share link over a direct link. Through a central
 * server: A uploads it over HTTP, B downloads and stores it. Same bytes, same
 * two browsers, the order of the paths alternating round by round.
 */
export async function endToEndFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const central = await startCentralServer()
  const stages = { add: [] as number[], fetch: [] as number[], upload: [] as number[], download: [] as number[] }
  try {
    for (let r = 0; r < ROUNDS; r++) {
      const alice = await openPerson(browser, relay, 'alice')
      const bob = await openPerson(browser, relay, 'bob')
      try {
        const name = `picked-${r}.bin`
        await makeFile(alice.page, name)
        const app = async () => {
          stages.add.push(await addThroughApp(alice, name))
          await setPrivacy(alice, name, 'Public: anyone')
          stages.fetch.push(await fetchThroughApp(bob, await shareLinkOf(alice, name), name))
        }
        const server = async () => {
          const url = `${central.url}/${name}`
          stages.upload.push(await uploadCentral(alice.page, url))
          stages.download.push(await downloadCentral(bob.page, url))
        }
        for (const path of r % 2 === 0 ? [app, server] : [server, app]) await path()
        console.log(
          `  round ${r + 1}/${ROUNDS}: app add ${stages.add.at(-1)} + fetch ${stages.fetch.at(-1)} ms; central upload ${stages.upload.at(-1)} + download ${stages.download.at(-1)} ms`,
        )
      } finally {
        await Promise.all([alice.page.context().close(), bob.page.context().close()])
      }
    }
  } finally {
    central.server.close()
  }
  const rate = (ms: number[]) => ms.map((t) => FILE_BYTES / MB / (t / 1000))
  const sum = (a: number[], b: number[]) => a.map((x, i) => x + (b[i] as number))
  return [
    figure('end-to-end', 'A picks 32 MiB → B holds it verified, through the app', 'MB/s', 'higher', rate(sum(stages.add, stages.fetch)), {
      reference: {
        name: 'central HTTP server on loopback: A uploads, B downloads and stores',
        samples: rate(sum(stages.upload, stages.download)),
      },
      paired: true,
      goal: 0.5,
    }),
    figure('end-to-end', 'stage 1: A adds it to the library (chunk, hash, store, index)', 'ms', 'lower', stages.add, {
      reference: { name: 'A uploads it to the central server', samples: stages.upload },
      paired: true,
    }),
    figure('end-to-end', 'stage 2: B fetches it by share link (dial, verify, IndexedDB)', 'ms', 'lower', stages.fetch, {
      reference: { name: 'B downloads it and stores it in IndexedDB', samples: stages.download },
      paired: true,
    }),
  ]
}
