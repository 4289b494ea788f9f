import type { Connection } from '@libp2p/interface'
import type { OpenSpace } from './open-space.ts'
import { logFailure, logOf } from '../../../shared/log.ts'

const log = logOf('spaces')

const BACKOFF_MIN_MS = 3_000
const BACKOFF_MAX_MS = 60_000

export interface MemberDialerComponents {
  connectionsTo: (did: string) => Connection[]
  connect: (address: string) => Promise<Connection>
  join: (connection: Connection, spaceId: string) => Promise<void>
}

/**
 * Reaches a member of a space: joins the space over a connection already
 * open to it, or dials the address the space carries for it (the owner's from
 * the invitation), backing off from 3 s to 60 s per DID while it stays away.
 */
export class MemberDialer {
  readonly #c: MemberDialerComponents
  readonly #backoff = new Map<string, { at: number; delay: number }>()
  readonly #dialing = new Set<string>()

  constructor(components: MemberDialerComponents) {
    this.#c = components
  }

  /** Forgets every backoff: the network changed, so each member is worth a dial now. */
  reset(): void {
    this.#backoff.clear()
  }

  async reach(space: OpenSpace, did: string): Promise<void> {
    const open = this.#c.connectionsTo(did)[0]
    if (open !== undefined) {
      // the next round tries again
      await this.#c.join(open, space.record.id).catch(logFailure(log, `joining space ${space.record.id} with ${did}`))
      return
    }
    const address = space.addresses.get(did) ?? (did === space.record.owner ? space.record.ownerAddress : undefined)
    const backoff = this.#backoff.get(did)
    if (address === undefined || this.#dialing.has(did) || (backoff !== undefined && backoff.at > Date.now())) return
    // one dial per DID at a time
    this.#dialing.add(did)
    try {
      await this.#c.connect(address)
      this.#backoff.delete(did)
      // joins every shared space on the next round, this one now
      await this.#c.join(this.#c.connectionsTo(did)[0] as Connection, space.record.id)
    } catch (err) {
      log('reaching %s for space %s failed, trying later: %e', did, space.record.id, err)
      const delay = Math.min((this.#backoff.get(did)?.delay ?? BACKOFF_MIN_MS / 2) * 2, BACKOFF_MAX_MS)
      this.#backoff.set(did, { at: Date.now() + delay, delay })
    } finally {
      this.#dialing.delete(did)
    }
  }
}
