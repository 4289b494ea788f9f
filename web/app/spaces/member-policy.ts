import type * as Y from 'yjs'
import { verifyGrant } from '../../../shared/spaces/membership.ts'
import type { SpaceRole } from '../../../shared/spaces/space-id.ts'
import { admits, type Privacy } from '../../../shared/trust/privacy.ts'
import type { SpacePolicy } from '../../sync/space-replica.ts'

export interface MemberPolicyInit {
  spaceId: string
  owner: string
  /** The members map of the space's document: DID → the owner's signed grant. */
  grants: Y.Map<string>
  /** Only the owner admits readers by trust; everyone else by grant alone. */
  privacy: () => Privacy | undefined
  trustLevelOf: (did: string) => number
  onChange: () => void
}

/**
 * Who may read and write a space: the owner, every DID holding a grant the
 * owner signed (checked once per grant, then kept), and, on the owner's own
 * replica, whoever the space's privacy class admits at the owner's trust.
 */
export class MemberPolicy implements SpacePolicy {
  readonly #init: MemberPolicyInit
  readonly #roles = new Map<string, SpaceRole>()
  readonly #checked = new Map<string, string>()

  constructor(init: MemberPolicyInit) {
    this.#init = init
    init.grants.observe(() => void this.#check())
    void this.#check()
  }

  /** Members by grant, with their roles (the owner not included). */
  members(): Map<string, SpaceRole> {
    return new Map(this.#roles)
  }

  /** A grant the owner just made here is known good: no need to wait for its check. */
  trust(did: string, role: SpaceRole, jws: string): void {
    this.#roles.set(did, role)
    this.#checked.set(did, jws)
  }

  canRead(did: string): boolean {
    if (did === this.#init.owner || this.#roles.has(did)) return true
    const privacy = this.#init.privacy()
    return privacy !== undefined && admits(privacy, did, this.#init.trustLevelOf(did))
  }

  canWrite(did: string): boolean {
    return did === this.#init.owner || this.#roles.get(did) === 'write'
  }

  async #check(): Promise<void> {
    const { grants, owner, spaceId } = this.#init
    let changed = false
    for (const did of [...this.#roles.keys()]) {
      if (grants.get(did) !== this.#checked.get(did)) {
        this.#roles.delete(did)
        this.#checked.delete(did)
        changed = true
      }
    }
    for (const [did, jws] of grants.entries()) {
      if (this.#checked.get(did) === jws) continue
      try {
        const grant = await verifyGrant(jws, { owner, space: spaceId })
        if (grant.member !== did || grants.get(did) !== jws) continue
        this.#roles.set(did, grant.role)
        this.#checked.set(did, jws)
        changed = true
      } catch {
        // a grant that does not verify admits no one
      }
    }
    if (changed) this.#init.onChange()
  }
}
