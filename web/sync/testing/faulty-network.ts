import type { SyncLink } from '../space-replica.ts'
/** A seeded, deterministic stand-in for the network between replicas: it drops, duplicates and reorders. */
export class Rng {
  #state: number
  constructor(seed: number) {
    this.#state = (seed * 2654435761) >>> 0 || 1
  }
  next(): number {
    // xorshift32
    let x = this.#state
    x ^= x << 13
    x ^= x >>> 17
    x ^= x << 5
    this.#state = x >>> 0
    return this.#state / 0x1_0000_0000
  }
  int(max: number): number {
    return Math.floor(this.next() * max)
  }
}

export interface Faults {
  drop: number
  duplicate: number
}

/** Directed queues between named peers; delivery happens only when the schedule says so. */
export class FaultyNetwork {
  readonly queues = new Map<string, Uint8Array[]>()
  readonly #rng: Rng
  readonly #faults: Faults

  constructor(rng: Rng, faults: Faults) {
    this.#rng = rng
    this.#faults = faults
  }

  link(from: string, to: string): SyncLink {
    const key = `${from}>${to}`
    return {
      close: () => this.clear(from, to),
      send: (frame) => {
        if (this.#rng.next() < this.#faults.drop) return
        const queue = this.queues.get(key) ?? []
        queue.push(frame)
        if (this.#rng.next() < this.#faults.duplicate) queue.push(frame)
        this.queues.set(key, queue)
      },
    }
  }

  clear(from: string, to: string): void {
    this.queues.delete(`${from}>${to}`)
  }

  /** Takes a random pending frame (any queue, any position: reordering). */
  takeRandom(): { from: string; to: string; frame: Uint8Array } | undefined {
    const keys = [...this.queues.keys()].filter((k) => (this.queues.get(k)?.length ?? 0) > 0)
    if (keys.length === 0) return undefined
    const key = keys[this.#rng.int(keys.length)] as string
    const queue = this.queues.get(key) as Uint8Array[]
    const [frame] = queue.splice(this.#rng.int(queue.length), 1)
    const [from, to] = key.split('>') as [string, string]
    return { from, to, frame: frame as Uint8Array }
  }
}
