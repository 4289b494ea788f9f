import type { Connection } from '@libp2p/interface'
import { Circuit, WebRTC } from '@multiformats/multiaddr-matcher'

/** How bytes reach a peer: a direct WebRTC link, through the relay, or to the relay itself. */
export type ConnectionPath = 'direct-webrtc' | 'relayed' | 'relay-server'

export function connectionPath(connection: Connection): ConnectionPath {
  if (connection.limits !== undefined || Circuit.exactMatch(connection.remoteAddr)) return 'relayed'
  if (WebRTC.matches(connection.remoteAddr)) return 'direct-webrtc'
  return 'relay-server'
}

/** The open, unlimited WebRTC connection to a peer, if there is one. */
export function directConnection(connections: Connection[]): Connection | undefined {
  return connections.find((c) => c.status === 'open' && connectionPath(c) === 'direct-webrtc')
}
