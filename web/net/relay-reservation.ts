import type { TransportManager } from '@libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'
import { Circuit } from '@multiformats/multiaddr-matcher'

export interface RelayReservation {
  /** Whether the relay holds a reservation for this browser now: a circuit address through it. */
  held(relay: Multiaddr): boolean
  /**
   * Asks the relay for a reservation unless one is held, and says whether one
   * is held afterwards. libp2p reserves on a relay named in a listen address
   * only when it starts listening: after that relay restarts it never asks
   * again (js-libp2p issue 3601), so this listens on the relay anew.
   */
  reserve(relay: Multiaddr): Promise<boolean>
}

class DefaultRelayReservation implements RelayReservation {
  readonly #transports: TransportManager

  constructor(components: { transportManager: TransportManager }) {
    this.#transports = components.transportManager
  }

  held(relay: Multiaddr): boolean {
    const through = `/p2p/${relay.getComponents().findLast((c) => c.name === 'p2p')?.value ?? ''}/p2p-circuit`
    return this.#transports.getAddrs().some((ma) => Circuit.exactMatch(ma) && ma.toString().includes(through))
  }

  async reserve(relay: Multiaddr): Promise<boolean> {
    if (this.held(relay)) return true
    // a listener whose reservation ended keeps no address; a new one asks again.
    // Failures are not thrown (the node tolerates listen failures): held() tells.
    await this.#transports.listen([relay.encapsulate('/p2p-circuit')])
    return this.held(relay)
  }
}

export function relayReservation(): (components: { transportManager: TransportManager }) => RelayReservation {
  return (components) => new DefaultRelayReservation(components)
}
