import http from 'node:http'
import net from 'node:net'
import type { RelayConfig } from './config.ts'
import { loadOrCreateKey } from './key.ts'
import { createRelay } from './relay.ts'
import { attachHttpHandlers } from './http.ts'
import { ClientAddresses } from './client-addresses.ts'
import { RelayMetrics } from './metrics.ts'
import { ConnectionLimits } from './connection-limits.ts'
import { ReservationPolicy } from './reservation-policy.ts'
import { RelayBlocks } from './content/relay-blocks.ts'
import { PinStore } from './content/pin-store.ts'
import { PinningService } from './content/pinning.ts'
import type { RelayLog } from './content/gateway.ts'

export interface RunningRelay {
  peerId: string
  url: string
  port: number
  stop(): Promise<void>
}

/** Wires key, libp2p relay and HTTP server together: the relay's single wiring point. */
export async function startRelayServer(config: RelayConfig, log: RelayLog): Promise<RunningRelay> {
  const privateKey = await loadOrCreateKey(config.keyFile)
  const blocks = await RelayBlocks.open(config.dataDir)
  const pins = await PinStore.open(config.dataDir)
  const pinning = new PinningService({
    store: pins,
    blocks,
    limits: { maxPinBytes: config.maxPinBytes, quotaBytes: config.pinQuotaBytes, quotaPins: config.pinQuotaCount },
  })
  // listen first: libp2p must announce the public port, which may be chosen by the OS
  const server = http.createServer()
  await listen(server, config.port, config.host)
  const port = (server.address() as { port: number }).port
  const host = config.host === '0.0.0.0' || config.host === '::' ? '127.0.0.1' : config.host
  // libp2p reports only announced addresses once announce is set, so choose
  // the internal port here rather than asking libp2p which one it took
  const internalPort = await freeLoopbackPort()
  const clients = new ClientAddresses()
  const metrics = new RelayMetrics({ pins: () => pins.all() })
  const reservations = new ReservationPolicy({ perAddress: config.maxReservationsPerAddress, clients, metrics })
  const relay = await createRelay({ config, privateKey, announce: [`${hostPart(host)}/tcp/${port}/ws`], internalPort, reservations })
  const handles = attachHttpHandlers(server, {
    relay,
    wsTarget: { host: '127.0.0.1', port: internalPort },
    staticDir: config.staticDir,
    startedAt: Date.now(),
    clients,
    blocks,
    pinning,
    limits: new ConnectionLimits({ perSecond: config.connectionRatePerAddress, openPerAddress: config.maxConnectionsPerAddress }),
    trustProxy: new Set(config.trustProxy),
    metrics,
    log,
  })
  metrics.attach(relay, handles)

  return {
    peerId: relay.peerId.toString(),
    port,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}/`,
    /**
     * In order, within a bounded time: stop accepting, let libp2p close its
     * connections (browsers see a clean close and start redialling), then end
     * whatever is still open. Handed-off WebSockets are not HTTP connections
     * the server can close, and server.close() waits for them.
     */
    async stop() {
      const closed = new Promise<void>((resolve) => server.close(() => resolve()))
      server.closeIdleConnections()
      await withinMs(STOP_LIBP2P_MS, Promise.resolve(relay.stop()))
      handles.destroyUpgrades()
      server.closeAllConnections()
      await closed
      await blocks.close()
    },
  }
}

/** How long libp2p may take to close its connections before they are cut. */
const STOP_LIBP2P_MS = 5_000

/** Waits for `work`, but no longer than `ms`; its failure is the caller's. */
async function withinMs(ms: number, work: Promise<void>): Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined
  const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))
  try {
    await Promise.race([work, timeout])
  } finally {
    clearTimeout(timer)
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
