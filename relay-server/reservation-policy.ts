import type { PeerId } from '@libp2p/interface'
import type { RelayNode } from './relay.ts'
import type { ClientAddresses } from './client-addresses.ts'
import type { RelayMetrics } from './metrics.ts'

/**
 * Who may hold a reservation, and for how long. libp2p keeps a reservation
 * for its whole lifetime (two hours by default) after its peer has gone, and
 * counts every browser as one loopback host: so throwaway peers could fill
 * the table. Here a reservation ends with its peer's last connection, and one
 * real address holds at most `perAddress` of them.
 */
export class ReservationPolicy {
  readonly #perAddress: number
  readonly #clients: ClientAddresses
  readonly #metrics: Pick<RelayMetrics, 'refused'> | undefined
  #relay: RelayNode | undefined

  constructor(init: { perAddress: number; clients: ClientAddresses; metrics?: Pick<RelayMetrics, 'refused'> }) {
    this.#perAddress = init.perAddress
    this.#clients = init.clients
    this.#metrics = init.metrics
  }

  /** The node is built after its connection gater, which asks this policy: handed over once it exists. */
  attach(relay: RelayNode): void {
    this.#relay = relay
    relay.addEventListener('peer:disconnect', (event) => this.release(event.detail))
  }

  /** The connection gater's question: true refuses the reservation. */
  denies(peer: PeerId): boolean {
    const relay = this.#relay
    if (relay === undefined) return true
    const host = this.#hostOfPeer(peer)
    if (host === undefined) return false
    let held = 0
    for (const [holder, reservation] of relay.services.relay.reservations) {
      if (!holder.equals(peer) && this.#clients.hostOf(reservation.addr) === host) held++
    }
    const refused = held >= this.#perAddress
    if (refused) this.#metrics?.refused('reservations-per-address')
    return refused
  }

  release(peer: PeerId): void {
    const reservation = this.#relay?.services.relay.reservations.get(peer)
    if (reservation === undefined) return
    // its expiry timer would otherwise later delete a new reservation of the same peer
    reservation.signal.clear()
    this.#relay?.services.relay.reservations.delete(peer)
  }

  #hostOfPeer(peer: PeerId): string | undefined {
    for (const connection of this.#relay?.getConnections(peer) ?? []) {
      const host = this.#clients.hostOf(connection.remoteAddr)
      if (host !== undefined) return host
    }
    return undefined
  }
}
