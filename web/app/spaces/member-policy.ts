import type * as Y from 'yjs'
import { InvalidGrantError } from '../../../shared/spaces/errors.ts'
import { supersedes, verifyGrant, type Grant } from '../../../shared/spaces/membership.ts'
import type { SpaceRole } from '../../../shared/spaces/space-id.ts'
import { privacyAllows, type Privacy } from '../../../shared/trust/privacy.ts'
import type { SpacePolicy } from '../../sync/space-replica.ts'
import { logFailure, logOf } from '../../../shared/log.ts'
import { Emitter, type Unsubscribe } from '../../../shared/events/emitter.ts'

const log = logOf('spaces')

export interface MemberPolicyInit {
  spaceId: string
  owner: string
  /** The members map of the space's document: DID → the owner's newest signed grant. */
  grants: Y.Map<string>
  /** Grants this browser checked before (DID → JWS, kept with the space), checked again on open. */
  known: Record<string, string>
  /** Only the owner admits readers by trust; everyone else by grant alone. */
  privacy: () => Privacy | undefined
  trustLevelOf: (did: string) => number
}

export interface MemberPolicyEvents {
  /** A newer grant was learnt: every DID's newest (DID → JWS), to keep with the space. Someone's part changed. */
  learn: [known: Record<string, string>]
}

interface Checked {
  grant: Grant
  jws: string
}

/**
 * Who may read and write a space: the owner, and every DID whose newest
 * owner-signed grant gives it a role; on the owner's own replica also whoever
 * the space's privacy class admits, unless the owner removed that DID.
 *
 * The document's `members` map only carries grants: this policy remembers the
 * newest one it has verified for each DID, so a writer who deletes an entry or
 * puts back an older grant (say, from before a removal) changes nobody's part,
 * and `repairs()` says what to write back.
 */
export class MemberPolicy implements SpacePolicy {
  readonly #init: MemberPolicyInit
  readonly #events = new Emitter<MemberPolicyEvents>()
  readonly #newest = new Map<string, Checked>()
  /** Every JWS already looked at, with what it says (undefined: it does not verify), so each is verified once. */
  readonly #verified = new Map<string, Promise<Grant | undefined>>()
  /** Checks run one after another, so two of them never race to set a DID's newest grant. */
  #checking: Promise<void>

  constructor(init: MemberPolicyInit) {
    this.#init = init
    init.grants.observe(() => this.#enqueue([...init.grants.entries()]))
    this.#checking = this.#check([...Object.entries(init.known), ...init.grants.entries()])
  }

  on<K extends keyof MemberPolicyEvents>(name: K, listener: (...args: MemberPolicyEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /** Settles when every grant seen so far has been checked. */
  async settled(): Promise<void> {
    await this.#checking
  }

  /** Members by grant, with their roles (the owner and removed DIDs not included). */
  members(): Map<string, SpaceRole> {
    const roles = new Map<string, SpaceRole>()
    for (const [did, { grant }] of this.#newest) if (grant.role !== 'removed') roles.set(did, grant.role)
    return roles
  }

  /** The newest grant known for a DID: a new one must be dated after it. */
  grantOf(did: string): Grant | undefined {
    return this.#newest.get(did)?.grant
  }

  /** Takes a grant at once (the owner's own, just signed), without waiting for the document. */
  async learn(jws: string): Promise<void> {
    const grant = await this.#verify(jws)
    if (grant === undefined) throw new InvalidGrantError('it does not verify for this space')
    this.#enqueue([[grant.member, jws]])
    await this.#checking
  }

  /** Grants the document lacks or holds older than known here: a writer puts these back. */
  repairs(): [string, string][] {
    const { grants } = this.#init
    return [...this.#newest].filter(([did, { jws }]) => grants.get(did) !== jws).map(([did, { jws }]) => [did, jws])
  }

  canRead(did: string): boolean {
    if (did === this.#init.owner) return true
    const grant = this.#newest.get(did)?.grant
    if (grant !== undefined) return grant.role !== 'removed'
    const privacy = this.#init.privacy()
    return privacy !== undefined && privacyAllows(privacy, did, this.#init.trustLevelOf(did))
  }

  canWrite(did: string): boolean {
    return did === this.#init.owner || this.#newest.get(did)?.grant.role === 'write'
  }

  #enqueue(entries: [string, string][]): void {
    // checks run one after another; one that fails is logged, and later checks still run
    this.#checking = this.#checking
      .then(async () => await this.#check(entries))
      .catch(logFailure(log, `checking grants of space ${this.#init.spaceId}`))
  }

  async #check(entries: [string, string][]): Promise<void> {
    let learnt = false
    for (const [did, jws] of entries) {
      const grant = await this.#verify(jws)
      // a grant filed under another DID than it names counts for nobody (there)
      if (grant === undefined || grant.member !== did) continue
      const current = this.#newest.get(did)
      if (current !== undefined && (current.jws === jws || !supersedes({ grant, jws }, current))) continue
      this.#newest.set(did, { grant, jws })
      learnt = true
    }
    if (!learnt) return
    this.#events.emit('learn', Object.fromEntries([...this.#newest].map(([did, { jws }]) => [did, jws])))
  }

  async #verify(jws: string): Promise<Grant | undefined> {
    let grant = this.#verified.get(jws)
    if (grant === undefined) {
      const { owner, spaceId } = this.#init
      // a grant that does not verify gives nobody a part: it is logged and left out
      grant = verifyGrant(jws, { owner, space: spaceId }).catch((err: unknown) => void log('a grant in space %s refused: %e', spaceId, err))
      this.#verified.set(jws, grant)
    }
    return await grant
  }
}
