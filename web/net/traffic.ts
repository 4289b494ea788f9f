import type { Stream } from '@libp2p/interface'
import { countFrameBytes, type FrameBytes } from '../../shared/protocol/framing.ts'

/**
 * Bytes of this app's own protocols (auth, blocks, trust, sync) each way, by
 * peer, since the page loaded: what the network view shows as in and out.
 * libp2p keeps no count per connection; the transport's own overhead
 * (encryption, multiplexing, identify, ping) is not in it.
 */
export class PeerTraffic {
  readonly #byPeer = new Map<string, FrameBytes>()

  /** Counts a stream's frames as traffic with `peer` (its peer ID). */
  track(stream: Stream, peer: string): void {
    let bytes = this.#byPeer.get(peer)
    if (bytes === undefined) {
      bytes = { read: 0, written: 0 }
      this.#byPeer.set(peer, bytes)
    }
    countFrameBytes(stream, bytes)
  }

  of(peer: string): { in: number; out: number } {
    const bytes = this.#byPeer.get(peer)
    return { in: bytes?.read ?? 0, out: bytes?.written ?? 0 }
  }
}
