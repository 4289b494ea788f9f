import type { Connection } from '@libp2p/interface'
import type { OpenSpace } from './open-space.ts'
import { logFailure, logOf } from '../../../shared/log.ts'

const log = logOf('spaces')

const BACKOFF_MIN_MS = 3_000
const BACKOFF_MAX_MS = 60_000
/**
 * Right after the network comes back, members come back too, each a little
 * later than us (their relay, then their reservation): a failed dial is tried
 * again after 250 ms, doubling, for these first seconds.
 */
export const QUICK_RETRY_MIN_MS = 250
export const QUICK_RETRY_WINDOW_MS = 5_000

export interface MemberDialerComponents {
  connectionsOf: (did: string) => Connection[]
  connect: (address: string) => Promise<Connection>
  join: (connection: Connection, spaceId: string) => Promise<void>
  /** Runs a round again (a quick retry is due). */
  again: () => void
}

/**
 * Reaches a member of a space: joins the space over a connection already
 * open to it, or dials the address the space carries for it (the owner's from
 * the invitation), backing off from 3 s to 60 s per DID while it stays away
 * (from 250 ms in the first seconds after the network came back).
 */
export class MemberDialer {
  readonly #c: MemberDialerComponents
  readonly #backoff = new Map<string, { at: number; delay: number }>()
  readonly #dialing = new Set<string>()
  #quickUntil = 0
  #againTimer: ReturnType<typeof setTimeout> | undefined

  constructor(components: MemberDialerComponents) {
    this.#c = components
  }

  /** Forgets every backoff: the network changed, so each member is worth a dial now. */
  reset(): void {
    this.#backoff.clear()
    this.#quickUntil = Date.now() + QUICK_RETRY_WINDOW_MS
  }

  stop(): void {
    clearTimeout(this.#againTimer)
    this.#againTimer = undefined
  }

  async reach(space: OpenSpace, did: string): Promise<void> {
    // a dial under way joins when it connects: joining over its connection now as well would sync twice
    if (this.#dialing.has(did)) return
    const open = this.#c.connectionsOf(did)[0]
    if (open !== undefined) {
      // the next round tries again
      await this.#c.join(open, space.record.id).catch(logFailure(log, `joining space ${space.record.id} with ${did}`))
      return
    }
    const address = space.addresses.get(did) ?? (did === space.record.owner ? space.record.ownerAddress : undefined)
    const backoff = this.#backoff.get(did)
    if (address === undefined || (backoff !== undefined && backoff.at > Date.now())) return
    // one dial per DID at a time
    this.#dialing.add(did)
    try {
      await this.#c.connect(address)
      this.#backoff.delete(did)
      // joins every shared space on the next round, this one now
      await this.#c.join(this.#c.connectionsOf(did)[0] as Connection, space.record.id)
    } catch (err) {
      log('reaching %s for space %s failed, trying later: %e', did, space.record.id, err)
      const quick = Date.now() < this.#quickUntil
      const min = quick ? QUICK_RETRY_MIN_MS : BACKOFF_MIN_MS
      const delay = Math.min(Math.max((this.#backoff.get(did)?.delay ?? min / 2) * 2, min), BACKOFF_MAX_MS)
      this.#backoff.set(did, { at: Date.now() + delay, delay })
      if (quick) this.#retryIn(delay)
    } finally {
      this.#dialing.delete(did)
    }
  }

  #retryIn(delay: number): void {
    if (this.#againTimer !== undefined) return
    this.#againTimer = setTimeout(() => {
      this.#againTimer = undefined
      this.#c.again()
    }, delay)
  }
}
