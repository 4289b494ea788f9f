/** Why a WebSocket was turned away before libp2p saw it. */
export type ConnectionRefusal = 'connection-rate' | 'connections-per-address' | 'addresses-tracked'

/** Addresses remembered at once; beyond it new ones are refused until old ones are forgotten. */
const MAX_TRACKED = 100_000
/** An address with nothing open and a full bucket is forgotten after this. */
const FORGET_AFTER_MS = 60_000

interface Bucket {
  tokens: number
  at: number
  open: number
}

/**
 * What one client address (IP) may open: WebSockets at a bounded rate (a
 * token bucket: `perSecond`, with bursts of twice that) and a bounded number
 * at once. A flood from one host is refused at the door, before any
 * handshake, so it cannot take the relay's connection slots or CPU from
 * everyone else. Memory is bounded too: idle addresses are forgotten.
 */
export class ConnectionLimits {
  readonly #perSecond: number
  readonly #openPerAddress: number
  readonly #buckets = new Map<string, Bucket>()

  constructor(init: { perSecond: number; openPerAddress: number }) {
    this.#perSecond = init.perSecond
    this.#openPerAddress = init.openPerAddress
  }

  /** Takes a connection from `address`, or says why not; an admitted one must be `closed` later. */
  admit(address: string, now = Date.now()): ConnectionRefusal | undefined {
    let bucket = this.#buckets.get(address)
    if (bucket === undefined) {
      if (this.#buckets.size >= MAX_TRACKED) this.#forgetIdle(now)
      if (this.#buckets.size >= MAX_TRACKED) return 'addresses-tracked'
      bucket = { tokens: 2 * this.#perSecond, at: now, open: 0 }
      this.#buckets.set(address, bucket)
    }
    bucket.tokens = Math.min(2 * this.#perSecond, bucket.tokens + ((now - bucket.at) / 1000) * this.#perSecond)
    bucket.at = now
    if (bucket.open >= this.#openPerAddress) return 'connections-per-address'
    if (bucket.tokens < 1) return 'connection-rate'
    bucket.tokens -= 1
    bucket.open += 1
    return undefined
  }

  closed(address: string): void {
    const bucket = this.#buckets.get(address)
    if (bucket !== undefined) bucket.open = Math.max(0, bucket.open - 1)
  }

  /** Addresses remembered now (for tests and metrics). */
  tracked(): number {
    return this.#buckets.size
  }

  #forgetIdle(now: number): void {
    for (const [address, bucket] of this.#buckets) if (bucket.open === 0 && now - bucket.at > FORGET_AFTER_MS) this.#buckets.delete(address)
  }
}
