import http from 'node:http'
import net from 'node:net'
import type { RelayConfig } from './config.ts'
import { loadOrCreateKey } from './key.ts'
import { createRelay } from './relay.ts'
import { attachHttpHandlers } from './http.ts'

export interface RunningRelay {
  peerId: string
  url: string
  port: number
  stop(): Promise<void>
}

/** Wires key, libp2p relay and HTTP server together: the relay's single wiring point. */
export async function startRelayServer(config: RelayConfig): Promise<RunningRelay> {
  const privateKey = await loadOrCreateKey(config.keyFile)
  // listen first: libp2p must announce the public port, which may be chosen by the OS
  const server = http.createServer()
  await listen(server, config.port, config.host)
  const port = (server.address() as { port: number }).port
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  // libp2p reports only announced addresses once announce is set, so choose
  // the internal port here rather than asking libp2p which one it took
  const internalPort = await freeLoopbackPort()
  const relay = await createRelay({ config, privateKey, announce: [`${hostPart(host)}/tcp/${port}/ws`], internalPort })
  attachHttpHandlers(server, {
    relay,
    wsTarget: { host: '127.0.0.1', port: internalPort },
    staticDir: config.staticDir,
    startedAt: Date.now(),
  })

  return {
    peerId: relay.peerId.toString(),
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    async stop() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
      await relay.stop()
    },
  }
}

function hostPart(host: string): string {
  if (host.includes(':')) return `/ip6/${host}`
  if (/^\d{1,3}(\.\d{1,3}){3}$/.test(host)) return `/ip4/${host}`
  return `/dns/${host}`
}

async function listen(server: http.Server, port: number, host: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(port, host, () => {
      server.off('error', reject)
      resolve()
    })
  })
}

async function freeLoopbackPort(): Promise<number> {
  const probe = net.createServer()
  await new Promise<void>((resolve, reject) => probe.once('error', reject).listen(0, '127.0.0.1', resolve))
  const { port } = probe.address() as net.AddressInfo
  await new Promise<void>((resolve) => probe.close(() => resolve()))
  return port
}
