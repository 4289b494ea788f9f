import type { Libp2p } from 'libp2p'
import { startRelayProcess } from '../e2e/relay-process.ts'
import { multiaddr } from '@multiformats/multiaddr'
import { relayAddressOf, reservingClient, reservingClients } from '../relay-server/testing/reserving-clients.ts'
import { scrape, valueOf } from '../relay-server/testing/scrape.ts'
import { figure, type Figure } from './results.ts'

export interface RelayScaleStep {
  peers: number
  /** The relay process's resident memory, MiB. */
  rssMiB: number
  /** The relay's CPU, in percent of one core, while the peers stay (keep-alives, identify). */
  idleCpuPercent: number
  /** How long /health took to answer at this load. */
  healthMs: number
  /** How long taking these reservations took, from the step before. */
  reserveMs: number
}

const IDLE_WINDOW_MS = 5_000

/**
 * One relay process, and Node libp2p peers (real WebSocket connections over
 * loopback) that each take a reservation on it, as browsers do: its memory,
 * CPU and responsiveness at each number of reserved peers, read from its own
 * /metrics and /health.
 */
async function relayScale(steps: number[]): Promise<{ steps: RelayScaleStep[]; roundTrips: number[] }> {
  const most = Math.max(...steps)
  const relay = await startRelayProcess({
    args: [
      '--max-reservations',
      String(most + 100),
      '--max-reservations-per-address',
      String(most + 100),
      '--max-connections',
      String(2 * most + 200),
      // every client dials from 127.0.0.1: the per-address door is opened wide for them
      '--max-connections-per-address',
      String(2 * most),
      '--connection-rate-per-address',
      '10000',
    ],
  })
  const clients: Libp2p[] = []
  const figures: RelayScaleStep[] = []
  const roundTrips: number[] = []
  try {
    const address = await relayAddressOf(relay)
    roundTrips.push(...(await pingRelay(address)))
    for (const peers of steps) {
      const began = Date.now()
      clients.push(...(await reservingClients(address, peers - clients.length)))
      await until(async () => valueOf((await scrape(relay.url)).families, 'relay_reservations') >= peers, 300_000)
      const reserveMs = Date.now() - began
      const cpuBefore = valueOf((await scrape(relay.url)).families, 'relay_process_cpu_seconds_total')
      await new Promise((resolve) => setTimeout(resolve, IDLE_WINDOW_MS))
      const after = (await scrape(relay.url)).families
      const cpuAfter = valueOf(after, 'relay_process_cpu_seconds_total')
      const asked = performance.now()
      const health = await fetch(`${relay.url}health`)
      if (!health.ok) throw new Error(`/health answered ${health.status} at ${peers} peers`)
      figures.push({
        peers,
        rssMiB: valueOf(after, 'relay_process_resident_memory_bytes') / 2 ** 20,
        idleCpuPercent: ((cpuAfter - cpuBefore) * 1000 * 100) / IDLE_WINDOW_MS,
        healthMs: performance.now() - asked,
        reserveMs,
      })
      console.log(`relay at ${peers} reserved peers: ${JSON.stringify(figures.at(-1))}`)
    }
  } finally {
    for (let i = 0; i < clients.length; i += 50) await Promise.all(clients.slice(i, i + 50).map(async (c) => await c.stop()))
    await relay.stop()
  }
  return { steps: figures, roundTrips }
}

const PINGS = 50

/**
 * Round trips of one peer to the relay alone, over its WebSocket: every
 * relayed message crosses this twice, and each handshake crosses it several times.
 */
async function pingRelay(address: string): Promise<number[]> {
  const client = await reservingClient(address)
  try {
    const relay = multiaddr(address)
    const times: number[] = []
    for (let i = 0; i < PINGS; i++) times.push(await client.services.ping.ping(relay))
    return times
  } finally {
    await client.stop()
  }
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const end = Date.now() + timeoutMs
  while (!(await check())) {
    if (Date.now() > end) throw new Error('the relay did not reach the number of reservations in time')
    await new Promise((resolve) => setTimeout(resolve, 500))
  }
}

/** The relay alone at these numbers of reserved peers (Node libp2p clients over real WebSockets on loopback). */
const STEPS = [100, 500, 1000]

/** One relay process at 100, 500 and 1000 reserved peers, read from its own /metrics: one sample per step. */
export async function relayScaleFigures(): Promise<Figure[]> {
  const { steps, roundTrips } = await relayScale(STEPS)
  return [
    figure('relay', 'one round trip to the relay over its WebSocket (libp2p ping, one peer)', 'ms', 'lower', roundTrips, {
      limit: 10,
    }),
    ...steps.flatMap((s) => [
      figure('relay', `${s.peers} reserved peers: resident memory`, 'MiB', 'lower', [s.rssMiB]),
      figure('relay', `${s.peers} reserved peers: CPU while they stay`, '% of a core', 'lower', [s.idleCpuPercent]),
      figure('relay', `${s.peers} reserved peers: /health answered in`, 'ms', 'lower', [s.healthMs]),
    ]),
  ]
}
