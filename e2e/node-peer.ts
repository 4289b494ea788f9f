// libp2p 3 on Node 20: Promise.withResolvers first
import '../shared/polyfills/promise-with-resolvers.ts'
import { WebSocket } from 'ws'
import { createLibp2p, type Libp2p } from 'libp2p'
import { webSockets } from '@libp2p/websockets'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import { multiaddr } from '@multiformats/multiaddr'
import type { Connection } from '@libp2p/interface'
import type { Identity } from '../shared/identity/did-key.ts'
import type { PeerAuth } from '../web/net/auth/index.ts'
import type { TrustExchange, TrustExchangeInit } from '../web/net/trust-exchange/index.ts'
import type { TrustService } from '../web/app/trust-service.ts'
import { startMemoryTrust, trustServices } from '../web/app/testing/memory-trust.ts'

// Node 20 has no global WebSocket (browsers and Node 22 do); libp2p dials with it
globalThis.WebSocket ??= WebSocket as unknown as typeof globalThis.WebSocket

export type NodePeer = Libp2p<{ peerAuth: PeerAuth; trust: TrustExchange }> & { trust: TrustService }

/**
 * A peer in Node that speaks our auth and trust protocols as a browser does,
 * with the identity given, and reaches browsers through the relay. `present`
 * replaces what it presents, where a test plays an attacker.
 */
export async function startNodePeer(identity: Identity, present?: TrustExchangeInit['present']): Promise<NodePeer> {
  const trust = await startMemoryTrust(identity)
  const node = await createLibp2p({
    transports: [webSockets(), circuitRelayTransport()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ...trustServices(identity, trust, present) },
  })
  return Object.assign(node, { trust })
}

/** Dials a browser through its relay (its WebRTC address without the upgrade) and waits for both DIDs to be proven. */
export async function dialBrowser(peer: NodePeer, webrtcAddress: string): Promise<Connection> {
  const relayed = multiaddr(webrtcAddress.replace('/p2p-circuit/webrtc/', '/p2p-circuit/'))
  const connection = await peer.dial(relayed, { signal: AbortSignal.timeout(20_000) })
  await peer.services.peerAuth.authenticated(connection, { signal: AbortSignal.timeout(20_000) })
  return connection
}
