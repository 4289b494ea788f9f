import type { Multiaddr } from '@multiformats/multiaddr'

/**
 * The browsers' real addresses. Every WebSocket reaches libp2p through the
 * loopback hand-off from the public HTTP port, so libp2p sees them all as
 * 127.0.0.1; the hand-off's own local port tells them apart.
 */
export class ClientAddresses {
  readonly #byPort = new Map<number, string>()

  /** The hand-off connection on `port` carries a client from `host`. */
  add(port: number, host: string): void {
    this.#byPort.set(port, host)
  }

  remove(port: number): void {
    this.#byPort.delete(port)
  }

  /** The client's real host behind an internal connection's remote address, if it came through the hand-off. */
  hostOf(remoteAddr: Multiaddr): string | undefined {
    const port = remoteAddr.getComponents().find((c) => c.name === 'tcp')?.value
    return port === undefined ? undefined : this.#byPort.get(Number(port))
  }
}
