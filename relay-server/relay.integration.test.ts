import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { request } from 'node:http'
import { brotliCompressSync, gzipSync } from 'node:zlib'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { multiaddr } from '@multiformats/multiaddr'
import { removeRelayDirs, startRelayProcess, type RelayProcess } from '../e2e/relay-process.ts'
import type { RelayHealth } from './http.ts'
import { scrape, valueOf } from './testing/scrape.ts'
import { hasReservation, relayAddressOf, reservingClient, reservingClients } from './testing/reserving-clients.ts'
import type { Libp2p } from 'libp2p'

const CLIENTS = 130
/** Every test client dials from 127.0.0.1: the per-address door is opened wide for them. */
const MANY_FROM_LOOPBACK = ['--connection-rate-per-address', '10000', '--max-connections-per-address', '10000']
const SCRIPT = `console.log(${JSON.stringify('a line of the app. '.repeat(500))})\n`

/** A GET with chosen request headers, answered with the raw (still compressed) body. */
async function rawGet(
  url: string,
  headers: Record<string, string>,
): Promise<{ headers: Record<string, string | string[] | undefined>; body: Buffer }> {
  return await new Promise((resolve, reject) => {
    request(url, { headers }, (res) => {
      const parts: Buffer[] = []
      res.on('data', (part: Buffer) => parts.push(part))
      res.on('end', () => resolve({ headers: res.headers, body: Buffer.concat(parts) }))
      res.on('error', reject)
    })
      .on('error', reject)
      .end()
  })
}

async function json<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as T }
}

describe('the relay process', () => {
  let relay: RelayProcess
  let keyFile: string

  beforeAll(async () => {
    // a stand-in for the built app, so this test does not depend on `vite build`
    const staticDir = mkdtempSync(join(tmpdir(), 'cas-disot-app-'))
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>')
    // a hashed asset with the compressed copies the build makes beside it
    mkdirSync(join(staticDir, 'assets'))
    writeFileSync(join(staticDir, 'assets', 'index-Ab12Cd34.js'), SCRIPT)
    writeFileSync(join(staticDir, 'assets', 'index-Ab12Cd34.js.gz'), gzipSync(SCRIPT))
    writeFileSync(join(staticDir, 'assets', 'index-Ab12Cd34.js.br'), brotliCompressSync(SCRIPT))
    relay = await startRelayProcess({ staticDir, args: ['--max-reservations-per-address', String(CLIENTS), ...MANY_FROM_LOOPBACK] })
    keyFile = relay.keyFile
  }, 60_000)
  afterAll(async () => {
    await relay.stop()
    rmSync(relay.staticDir, { recursive: true, force: true })
    removeRelayDirs()
  })

  it('reports its health and its dialable address', async () => {
    const health = await json<RelayHealth>(`${relay.url}health`)
    expect(health.status).toBe(200)
    expect(health.body).toMatchObject({ status: 'ok', connections: 0, reservations: 0 })
    const addrs = await json<{ peerId: string; multiaddrs: string[] }>(`${relay.url}multiaddrs`)
    expect(addrs.body.multiaddrs).toEqual([`/ip4/127.0.0.1/tcp/${relay.port}/ws/p2p/${health.body.peerId}`])
  })

  it('serves the app, with a fallback to index.html for app paths', async () => {
    for (const path of ['', 'some/app/path']) {
      const response = await fetch(`${relay.url}${path}`)
      expect(response.status).toBe(200)
      expect(await response.text()).toContain('<div id="root">')
    }
  })

  it('serves the precompressed copy the browser accepts, hashed assets cached for good and the page revalidated', async () => {
    const asset = `${relay.url}assets/index-Ab12Cd34.js`
    const br = await rawGet(asset, { 'accept-encoding': 'gzip, deflate, br' })
    expect(br.headers['content-encoding']).toBe('br')
    expect(br.body.equals(brotliCompressSync(SCRIPT))).toBe(true)
    expect(br.headers['cache-control']).toBe('public, max-age=31536000, immutable')
    const gz = await rawGet(asset, { 'accept-encoding': 'gzip' })
    expect(gz.headers['content-encoding']).toBe('gzip')
    expect(gz.body.length).toBeLessThan(SCRIPT.length / 10)
    const plain = await rawGet(asset, {})
    expect(plain.headers['content-encoding']).toBeUndefined()
    expect(plain.body.toString()).toBe(SCRIPT)
    for (const page of ['', 'index.html', 'some/app/path']) {
      expect((await rawGet(`${relay.url}${page}`, { 'accept-encoding': 'br' })).headers['cache-control']).toBe('no-cache')
    }
  })

  it(`holds reservations for ${CLIENTS} peers at once, and releases each when its peer leaves`, async () => {
    const relayAddr = await relayAddressOf(relay)
    const clients = await reservingClients(relayAddr, CLIENTS)
    try {
      // a reservation shows as a circuit address of the client's own
      await expect.poll(() => clients.filter(hasReservation).length, { timeout: 60_000 }).toBe(CLIENTS)
      expect((await json<RelayHealth>(`${relay.url}health`)).body.reservations).toBe(CLIENTS)
      // and its metrics say the same
      const { families } = await scrape(relay.url)
      expect(valueOf(families, 'relay_reservations')).toBe(CLIENTS)
      expect(valueOf(families, 'relay_libp2p_connections')).toBeGreaterThanOrEqual(CLIENTS)
      expect(valueOf(families, 'relay_websocket_open')).toBeGreaterThanOrEqual(CLIENTS)
      expect(multiaddr(relayAddr).toString()).toContain('/ws/')
    } finally {
      await Promise.all(clients.map(async (c) => await c.stop()))
    }
    // nobody is left holding a slot: the table is free again, not after the two-hour lifetime
    await expect.poll(async () => (await json<RelayHealth>(`${relay.url}health`)).body.reservations, { timeout: 15_000 }).toBe(0)
  }, 120_000)

  it('lets one address hold no more than its share of the table', async () => {
    const small = await startRelayProcess({
      staticDir: relay.staticDir,
      args: ['--max-reservations-per-address', '4', ...MANY_FROM_LOOPBACK],
    })
    const clients = await reservingClients(await relayAddressOf(small), 7)
    try {
      // four of the seven, all from 127.0.0.1, hold a reservation; the relay refuses the rest
      await expect.poll(() => clients.filter(hasReservation).length, { timeout: 30_000 }).toBe(4)
      expect((await json<RelayHealth>(`${small.url}health`)).body.reservations).toBe(4)
      // each refusal is counted, by its reason
      await expect
        .poll(async () => valueOf((await scrape(small.url)).families, 'relay_refusals_total', { reason: 'reservations-per-address' }))
        .toBeGreaterThanOrEqual(3)
      // a holder leaves: its slot is free for the next one from that address
      const holder = clients.find(hasReservation) as Libp2p
      await holder.stop()
      await expect.poll(async () => (await json<RelayHealth>(`${small.url}health`)).body.reservations, { timeout: 15_000 }).toBe(3)
      const late = await reservingClient(await relayAddressOf(small))
      clients.push(late)
      await expect.poll(() => hasReservation(late), { timeout: 30_000 }).toBe(true)
    } finally {
      await Promise.all(clients.map(async (c) => await c.stop()))
      await small.stop()
    }
  }, 120_000)

  it('serves its figures in the Prometheus text format, counting each request by route and status', async () => {
    const before = await scrape(relay.url)
    expect(before.contentType).toMatch(/^text\/plain; version=0\.0\.4/)
    for (const family of before.families) {
      expect(family.help, family.name).not.toBe('')
      expect(['COUNTER', 'GAUGE', 'HISTOGRAM', 'SUMMARY']).toContain(family.type)
    }
    expect(valueOf(before.families, 'relay_process_resident_memory_bytes')).toBeGreaterThan(0)
    const missing = 'bafkreigh2akiscaildcqabsyg3dfr6chu3fgpregiymsck7e7aqa4s52zy'
    const notFound = () => valueOf(before.families, 'relay_http_requests_total', { route: 'gateway', status: '404' })
    const was = notFound()
    expect((await fetch(`${relay.url}ipfs/${missing}?format=raw`)).status).toBe(404)
    expect((await fetch(`${relay.url}ipfs/not-a-cid`)).status).toBe(400)
    const after = (await scrape(relay.url)).families
    expect(valueOf(after, 'relay_http_requests_total', { route: 'gateway', status: '404' })).toBe(was + 1)
    expect(valueOf(after, 'relay_http_requests_total', { route: 'gateway', status: '400' })).toBeGreaterThanOrEqual(1)
    expect(valueOf(after, 'relay_http_requests_total', { route: 'metrics', status: '200' })).toBeGreaterThanOrEqual(1)
    expect(valueOf(after, 'relay_pins')).toBe(0)
  })

  it('counts a client behind a trusted proxy by the address the proxy names, and ignores the header from anyone else', async () => {
    const upgrade = async (url: string, forwardedFor: string): Promise<{ status: number; close: () => void }> =>
      await new Promise((resolve, reject) => {
        const { hostname, port } = new URL(url)
        const req = request({
          host: hostname,
          port,
          headers: {
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Key': 'dGhlIHNhbXBsZSBub25jZQ==',
            'Sec-WebSocket-Version': '13',
            'X-Forwarded-For': forwardedFor,
          },
        })
        req.on('upgrade', (res, socket) => resolve({ status: res.statusCode ?? 0, close: () => socket.destroy() }))
        req.on('response', (res) => resolve({ status: res.statusCode ?? 0, close: () => res.destroy() }))
        req.on('error', reject)
        req.end()
      })
    // one WebSocket per address: behind the trusted proxy (this test, on loopback) two clients are two addresses
    const behind = await startRelayProcess({ args: ['--trust-proxy', '127.0.0.1', '--max-connections-per-address', '1'] })
    const open: Array<() => void> = []
    try {
      const first = await upgrade(behind.url, '203.0.113.7')
      open.push(first.close)
      const second = await upgrade(behind.url, '203.0.113.8')
      open.push(second.close)
      const sameAsFirst = await upgrade(behind.url, '203.0.113.7')
      open.push(sameAsFirst.close)
      expect([first.status, second.status, sameAsFirst.status]).toEqual([101, 101, 429])
    } finally {
      open.forEach((close) => close())
      await behind.stop()
    }
    // without --trust-proxy the header is the client's own word: both count as 127.0.0.1
    const direct = await startRelayProcess({ args: ['--max-connections-per-address', '1'] })
    try {
      const first = await upgrade(direct.url, '203.0.113.7')
      const second = await upgrade(direct.url, '203.0.113.8')
      expect([first.status, second.status]).toEqual([101, 429])
      first.close()
      second.close()
    } finally {
      await direct.stop()
    }
  })

  it('keeps its peer ID across a restart, and stops on SIGTERM in bounded time with peers connected', async () => {
    const before = (await json<RelayHealth>(`${relay.url}health`)).body.peerId
    const clients = await reservingClients(await relayAddressOf(relay), 5)
    await expect.poll(() => clients.filter(hasReservation).length, { timeout: 30_000 }).toBe(5)
    const started = Date.now()
    await relay.stop()
    // stop() sends SIGKILL after 10 s, which would leave no exit code
    expect(relay.exitCode).toBe(0)
    expect(Date.now() - started).toBeLessThan(10_000)
    await Promise.all(clients.map(async (c) => await c.stop()))
    relay = await startRelayProcess({
      keyFile,
      staticDir: relay.staticDir,
      args: ['--max-reservations-per-address', String(CLIENTS), ...MANY_FROM_LOOPBACK],
    })
    expect((await json<RelayHealth>(`${relay.url}health`)).body.peerId).toBe(before)
  }, 60_000)

  it('refuses a bad option with a clear message and exit code 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'relay-server/main.ts', '--max-reservations', '5'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('--max-reservations must be between 128')
  })
})
