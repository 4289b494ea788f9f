import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WebSocket } from 'ws'
import { createLibp2p, type Libp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { multiaddr } from '@multiformats/multiaddr'
import { startRelayProcess, type RelayProcess } from '../e2e/relay-process.ts'
import type { RelayHealth } from './http.ts'

const CLIENTS = 130

// Node 20 has no global WebSocket (browsers and Node 22 do); libp2p dials with it
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

async function json<T>(url: string): Promise<{ status: number; body: T }> {
  const response = await fetch(url)
  return { status: response.status, body: (await response.json()) as T }
}

/** A Node peer that takes a reservation on the relay, as a browser does. */
async function reservingClient(relayAddr: string): Promise<Libp2p> {
  return await createLibp2p({
    addresses: { listen: [`${relayAddr}/p2p-circuit`] },
    transports: [webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify() },
  })
}

describe('the relay process', () => {
  let relay: RelayProcess
  let keyFile: string

  beforeAll(async () => {
    // a stand-in for the built app, so this test does not depend on `vite build`
    const staticDir = mkdtempSync(join(tmpdir(), 'cas-disot-app-'))
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html><div id="root"></div>')
    relay = await startRelayProcess({ staticDir })
    keyFile = relay.keyFile
  }, 60_000)
  afterAll(async () => await relay.stop())

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

  it(`holds reservations for ${CLIENTS} peers at once`, async () => {
    const { body } = await json<{ multiaddrs: string[] }>(`${relay.url}multiaddrs`)
    const relayAddr = body.multiaddrs[0] as string
    const clients: Libp2p[] = []
    try {
      for (let i = 0; i < CLIENTS; i += 10) {
        clients.push(...(await Promise.all(Array.from({ length: 10 }, async () => await reservingClient(relayAddr)))))
      }
      // a reservation shows as a circuit address of the client's own
      await expect
        .poll(() => clients.filter((c) => c.getMultiaddrs().some((ma) => ma.toString().includes('/p2p-circuit'))).length, { timeout: 60_000 })
        .toBe(CLIENTS)
      const health = await json<RelayHealth>(`${relay.url}health`)
      expect(health.body.reservations).toBe(CLIENTS)
      expect(multiaddr(relayAddr).toString()).toContain('/ws/')
    } finally {
      await Promise.all(clients.map(async (c) => await c.stop()))
    }
  }, 120_000)

  it('keeps its peer ID across a restart, and stops cleanly on SIGTERM', async () => {
    const before = (await json<RelayHealth>(`${relay.url}health`)).body.peerId
    await relay.stop()
    expect(relay.exitCode).toBe(0)
    relay = await startRelayProcess({ keyFile, staticDir: relay.staticDir })
    expect((await json<RelayHealth>(`${relay.url}health`)).body.peerId).toBe(before)
  }, 60_000)

  it('refuses a bad option with a clear message and exit code 2', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'relay-server/main.ts', '--max-reservations', '5'], { encoding: 'utf8' })
    expect(run.status).toBe(2)
    expect(run.stderr).toContain('--max-reservations must be between 128')
  })
})
