// libp2p 3 on Node 20: Promise.withResolvers first
import '../../shared/polyfills/promise-with-resolvers.ts'
import { WebSocket } from 'ws'
import { createLibp2p, type Libp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import { FaultTolerance } from '@libp2p/interface'
import type { RelayProcess } from '../../e2e/relay-process.ts'

// Node 20 has no global WebSocket (browsers and Node 22 do); libp2p dials with it
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

export const hasReservation = (c: Libp2p): boolean => c.getMultiaddrs().some((ma) => ma.toString().includes('/p2p-circuit'))

/** The relay's dialable address, as a browser asks for it. */
export async function relayAddressOf(relay: RelayProcess): Promise<string> {
  const response = await fetch(`${relay.url}multiaddrs`)
  return ((await response.json()) as { multiaddrs: string[] }).multiaddrs[0] as string
}

/** A Node peer that takes a reservation on the relay over a real WebSocket, as a browser does. */
export async function reservingClient(relayAddr: string): Promise<Libp2p<{ identify: Identify; ping: Ping }>> {
  return await createLibp2p({
    addresses: { listen: [`${relayAddr}/p2p-circuit`] },
    transports: [webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ping: ping() },
    // a refused reservation leaves the client running without one, as in a browser
    transportManager: { faultTolerance: FaultTolerance.NO_FATAL },
  })
}

/** Starts `n` reserving clients, ten at a time. */
export async function reservingClients(relayAddr: string, n: number): Promise<Libp2p[]> {
  const clients: Libp2p[] = []
  for (let i = 0; i < n; i += 10) {
    clients.push(...(await Promise.all(Array.from({ length: Math.min(10, n - i) }, async () => await reservingClient(relayAddr)))))
  }
  return clients
}
