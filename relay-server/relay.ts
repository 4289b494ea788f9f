import { createLibp2p, type Libp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { circuitRelayServer, type CircuitRelayService } from '@libp2p/circuit-relay-v2'
import type { PrivateKey } from '@libp2p/interface'
import type { RelayConfig } from './config.ts'
import type { ReservationPolicy } from './reservation-policy.ts'

export type RelayNode = Libp2p<{ relay: CircuitRelayService }>

export interface RelayInit {
  config: RelayConfig
  privateKey: PrivateKey
  /** Addresses browsers reach the relay on (the public HTTP port, not the internal listener). */
  announce: string[]
  /** Loopback port of the internal WebSocket listener. */
  internalPort: number
  reservations: ReservationPolicy
}

/**
 * The relay's libp2p node: WebSockets in, circuit relay v2 hop, identify and
 * ping. It listens on an internal loopback port; the public HTTP server hands
 * WebSocket upgrades to it, so the app and libp2p share one port.
 */
export async function createRelay({ config, privateKey, announce, internalPort, reservations }: RelayInit): Promise<RelayNode> {
  const relay = await createLibp2p({
    privateKey,
    addresses: { listen: [`/ip4/127.0.0.1/tcp/${internalPort}/ws`], announce },
    transports: [webSockets()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: { denyInboundRelayReservation: (peer) => reservations.denies(peer) },
    connectionManager: {
      maxConnections: config.maxConnections,
      // every browser arrives through the local upgrade hand-off, so per-host
      // rate limits would count them all as one host
      inboundConnectionThreshold: config.maxConnections,
      maxIncomingPendingConnections: config.maxReservations,
    },
    services: {
      identify: identify(),
      ping: ping(),
      relay: circuitRelayServer({
        maxInboundHopStreams: config.maxReservations,
        maxOutboundStopStreams: config.maxReservations,
        reservations: {
          maxReservations: config.maxReservations,
          defaultDurationLimit: config.relayDurationLimitSeconds * 1000,
          defaultDataLimit: BigInt(config.relayDataLimitBytes),
        },
      }),
    },
  })
  reservations.attach(relay)
  return relay
}
