import type { Connection } from '@libp2p/interface'
import { Circuit, WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'

/** How bytes reach a peer: a direct WebRTC link, through the relay, or to the relay itself. */
export type ConnectionPath = 'direct-webrtc' | 'relayed' | 'relay-server'

/**
 * A browser listens on no WebSocket, so a plain WebSocket address is a relay
 * server's own; a peer is reached through a circuit or over a direct link
 * (WebRTC in a browser; the memory transport stands in for it in unit tests).
 */
export function connectionPath(connection: Pick<Connection, 'limits' | 'remoteAddr'>): ConnectionPath {
  const address = connection.remoteAddr
  if (connection.limits !== undefined || Circuit.exactMatch(address)) return 'relayed'
  if (WebSockets.exactMatch(address) || WebSocketsSecure.exactMatch(address)) return 'relay-server'
  return 'direct-webrtc'
}

/** The open, unlimited WebRTC connection to a peer, if there is one. */
export function directConnection(connections: Connection[]): Connection | undefined {
  return connections.find((c) => c.status === 'open' && connectionPath(c) === 'direct-webrtc')
}
