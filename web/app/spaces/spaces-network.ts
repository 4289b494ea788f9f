import type { Connection } from '@libp2p/interface'

/** What spaces need of the network; the app wires it to libp2p. */
export interface SpacesNetwork {
  online(): boolean
  /** Where members reach me: my WebRTC address through the relay. */
  shareAddress(): string | undefined
  /** Open, authenticated direct connections to a DID. */
  connectionsOf(did: string): Connection[]
  connect(address: string): Promise<Connection>
  join(connection: Connection, spaceId: string, options?: { invitation?: string }): Promise<void>
}
