import { createLibp2p, type Libp2p } from 'libp2p'
import { FaultTolerance } from '@libp2p/interface'
import { webSockets } from '@libp2p/websockets'
import { webRTC } from '@libp2p/webrtc'
import { circuitRelayTransport } from '@libp2p/circuit-relay-v2'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify, type Identify } from '@libp2p/identify'
import { ping, type Ping } from '@libp2p/ping'
import type { PrivateKey } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { blockExchange, type BlockExchange } from './block-exchange/index.ts'
import { createConnectionGater } from './dial-policy.ts'
import { peerAuth, type PeerAuth, type PeerRecord } from './auth/index.ts'
import { trustExchange, type TrustExchange, type TrustExchangeInit } from './trust-exchange/index.ts'
import type { Did, Identity } from '../../shared/identity/did-key.ts'
import type { CID } from 'multiformats/cid'
import { spaceSync, type SpaceSync } from './space-sync/index.ts'
import { relayReservation, type RelayReservation } from './relay-reservation.ts'
import { PeerTraffic } from './traffic.ts'

export type BrowserNode = Libp2p<{
  identify: Identify
  ping: Ping
  peerAuth: PeerAuth
  blocks: BlockExchange
  trust: TrustExchange
  sync: SpaceSync
  reservation: RelayReservation
  traffic: PeerTraffic
}>

export interface BrowserNodeInit {
  privateKey: PrivateKey
  /** The relays known at startup, the one that served the app first (it decides whether loopback may be dialled). */
  relays: Multiaddr[]
  /** Empty for local use; deployments add STUN/TURN. */
  iceServers: RTCIceServer[]
  /**
   * The person's "hide my address" setting: direct links only through TURN
   * servers, so no peer learns this browser's IP address. Without a TURN
   * server, no direct link comes up and peers are reached through the relay.
   */
  turnOnly: () => boolean
  blockStore: BlockStore
  /** Who this browser proves to be on every connection. */
  identity: () => Identity
  displayName: () => string
  /** Whether an authenticated DID may receive a block. */
  authorize: (did: Did, cid: CID) => Promise<boolean>
  /** What we show authenticated peers of our trust: a presentation bound to the connection, or (to peers not yet updated) a bundle. */
  trust: Pick<TrustExchangeInit, 'present' | 'bundle'>
  /** The peer book as kept last time. */
  peerBook: PeerRecord[]
  /** The in-app offline switch: while true, nothing connects. */
  offline: () => boolean
}

/**
 * A browser peer: WebSockets to the relay, a circuit-relay reservation there
 * so others can reach us, and WebRTC for the direct links that carry data.
 */
export async function createBrowserNode(init: BrowserNodeInit): Promise<BrowserNode> {
  // naming the relay in the circuit listen address makes our WebRTC address
  // ready in about 0.8 s instead of about 2 s with a bare /p2p-circuit
  const first = init.relays[0]
  const circuit = first === undefined ? '/p2p-circuit' : `${first.toString()}/p2p-circuit`
  const traffic = new PeerTraffic()
  return await createLibp2p({
    // started after the first screen shows (PeerApp.start): starting waits for the relay
    start: false,
    privateKey: init.privateKey,
    addresses: { listen: [circuit, '/webrtc'] },
    transports: [
      webSockets(),
      // messages up to 255 KiB instead of 16 KiB: a 256 KiB block goes in two
      // sends rather than seventeen (Chromium's SCTP limit is 256 KiB with framing)
      webRTC({
        // read at each link, so the setting applies without a reload
        rtcConfiguration: () => ({ iceServers: init.iceServers, iceTransportPolicy: init.turnOnly() ? 'relay' : 'all' }),
        dataChannel: { maxMessageSize: 255 * 1024 },
      }),
      circuitRelayTransport(),
    ],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionGater: createConnectionGater(first, init.offline),
    // start even when the relay is down: the library works offline, and the
    // network layer keeps redialling the relay
    transportManager: { faultTolerance: FaultTolerance.NO_FATAL },
    services: {
      identify: identify(),
      ping: ping(),
      // declared before blocks: blocks are served to authenticated connections only
      peerAuth: peerAuth({ identity: init.identity, displayName: init.displayName, book: init.peerBook, traffic }),
      blocks: blockExchange({ blockStore: init.blockStore, authorize: init.authorize, traffic }),
      trust: trustExchange({ ...init.trust, traffic }),
      // the spaces are built after the node: they become its sync host then
      sync: spaceSync({ traffic }),
      traffic: () => traffic,
      reservation: relayReservation(),
    },
  })
}
