import type { Identity } from '../../../shared/identity/did-key.ts'
import { InvitationRefusedError, type InvitationRefusal } from '../../../shared/spaces/errors.ts'
import { verifyInvitation } from '../../../shared/spaces/invitation.ts'
import { createGrant } from '../../../shared/spaces/membership.ts'
import type { SpaceRole } from '../../../shared/spaces/space-id.ts'
import { privacyAllows, type Privacy } from '../../../shared/trust/privacy.ts'
import type { SpaceReplica } from '../../sync/space-replica.ts'
import type { OpenSpace } from './open-space.ts'
import type { OpenSpaces } from './open-spaces.ts'
import type { SpaceRecords } from './space-records.ts'

export interface SpaceMembershipComponents {
  spaces: OpenSpaces
  records: SpaceRecords
  identity: () => Identity
  trustLevelOf: (did: string) => number
}

/**
 * Who belongs to a space, as its owner decides: admitting a person who
 * brings an invitation or whom the privacy setting lets in by the space link,
 * reviewing those who came by the link when the setting or trust changes,
 * removing members, and the privacy setting itself. Every decision is a
 * grant the owner signs into the space, so each member's replica follows it.
 */
export class SpaceMembership {
  readonly #c: SpaceMembershipComponents
  /** Admissions in progress, per space and DID (see admit). */
  readonly #admitting = new Map<string, Promise<void>>()

  constructor(components: SpaceMembershipComponents) {
    this.#c = components
  }

  /**
   * The sync protocol's gate: the replica for a member, or why not; a valid
   * invitation makes a member. One person's admissions to one space run one
   * at a time: an invitee's browser may join by the link and by the
   * invitation at once, and the invitation must still have the last word.
   */
  async admit(spaceId: string, did: string, invitationJws: string | undefined): Promise<SpaceReplica | InvitationRefusal> {
    const key = `${spaceId} ${did}`
    const before = this.#admitting.get(key) ?? Promise.resolve()
    const turn = before.then(async () => await this.#admitNow(spaceId, did, invitationJws))
    const settled = turn.then(
      () => undefined,
      // the refusal goes to the caller of this turn; the next turn runs regardless
      () => undefined,
    )
    this.#admitting.set(key, settled)
    void settled.then(() => {
      if (this.#admitting.get(key) === settled) this.#admitting.delete(key)
    })
    return await turn
  }

  /** Who may come in by the space link, and what they may do; members who came that way follow at once. */
  async setPrivacy(spaceId: string, privacy: Privacy, linkRole?: SpaceRole): Promise<void> {
    const space = this.#c.spaces.owned(spaceId, 'change who may come in')
    await this.#c.records.update(space, (r) => ({ ...r, privacy, linkRole: linkRole ?? r.linkRole }), 'now')
    await this.reviewLinkMembers(space)
    this.#c.spaces.changed()
  }

  /**
   * The owner takes a member out with a signed removal that supersedes its
   * grant, so every replica stops sending to and taking from that DID, an old
   * grant put back changes nothing, and the invitation it used cannot bring
   * it back (a new invitation can).
   */
  async removeMember(spaceId: string, did: string): Promise<void> {
    const space = this.#c.spaces.owned(spaceId, 'remove members')
    await this.#c.records.update(
      space,
      (r) => ({
        ...r,
        usedInvitations: Object.fromEntries(Object.entries(r.usedInvitations).map(([id, by]) => [id, by === did ? `removed:${did}` : by])),
        // removed by hand: the space link does not bring them back either
        linkMembers: r.linkMembers?.filter((d) => d !== did),
      }),
      'now',
    )
    await this.#takeOut(space, did)
    this.#c.spaces.changed()
  }

  /** Members who came by the link keep their place only while the privacy setting (and my trust) lets them in. */
  async reviewLinkMembers(space: OpenSpace): Promise<void> {
    const { record } = space
    for (const did of record.linkMembers ?? []) {
      const grant = space.policy.grantOf(did)
      if (grant === undefined || grant.role === 'removed') continue
      const role = record.linkRole ?? 'read'
      if (!this.#linkLetsIn(space, did)) await this.#takeOut(space, did)
      else if (grant.role !== role) await this.#grant(space, did, role)
    }
  }

  async #admitNow(spaceId: string, did: string, invitationJws: string | undefined): Promise<SpaceReplica | InvitationRefusal> {
    const space = this.#c.spaces.get(spaceId)
    if (space === undefined) return 'no-such-space'
    if (invitationJws !== undefined && space.record.role === 'owner') return await this.#admitByInvitation(space, did, invitationJws)
    if (await this.#admitByLink(space, did)) return space.replica
    return space.replica.syncsWith(did) ? space.replica : 'no-such-space'
  }

  /**
   * An invitation's role is what the owner chose for that person: it replaces
   * whatever the space link gave them (up or down), and from then on the link's
   * role no longer applies to them.
   */
  async #admitByInvitation(space: OpenSpace, did: string, invitationJws: string): Promise<SpaceReplica | InvitationRefusal> {
    let invitation
    try {
      invitation = await verifyInvitation(invitationJws)
    } catch (err) {
      return err instanceof InvitationRefusedError ? err.reason : 'malformed'
    }
    if (invitation.inviter !== this.#c.identity().did) return 'forged'
    if (invitation.space !== space.record.id) return 'wrong-space'
    const usedBy = space.record.usedInvitations[invitation.id]
    if (usedBy !== undefined && usedBy !== did) return 'used'
    // presented again (a reconnect): the grant it brought stands
    if (usedBy === did && space.replica.syncsWith(did)) return space.replica
    // marked before any await (update changes the record at once), so two people racing with one invitation cannot both get in
    await this.#c.records.update(
      space,
      (r) => ({
        ...r,
        usedInvitations: { ...r.usedInvitations, [invitation.id]: did },
        linkMembers: r.linkMembers?.filter((d) => d !== did),
      }),
      'now',
    )
    await this.#grant(space, did, invitation.role)
    return space.replica
  }

  /**
   * The owner makes a member of someone the space's privacy setting lets in,
   * with the role it gives such people, so every member syncs with them.
   * Members by invitation, and people removed by hand, are left as they are.
   */
  async #admitByLink(space: OpenSpace, did: string): Promise<boolean> {
    const { record } = space
    if (record.role !== 'owner' || did === record.owner) return false
    const grant = space.policy.grantOf(did)
    const cameByLink = record.linkMembers?.includes(did) === true
    if (grant !== undefined && !(cameByLink && grant.role === 'removed')) return false
    if (!this.#linkLetsIn(space, did)) return false
    if (!cameByLink) await this.#c.records.update(space, (r) => ({ ...r, linkMembers: [...(r.linkMembers ?? []), did] }), 'now')
    await this.#grant(space, did, record.linkRole ?? 'read')
    return true
  }

  #linkLetsIn(space: OpenSpace, did: string): boolean {
    return privacyAllows(space.record.privacy, did, this.#c.trustLevelOf(did))
  }

  async #grant(space: OpenSpace, did: string, role: SpaceRole | 'removed'): Promise<void> {
    const grant = await createGrant(this.#c.identity(), space.record.id, { member: did, role }, space.policy.grantOf(did))
    await space.policy.learn(grant)
    space.grants.set(did, grant)
  }

  async #takeOut(space: OpenSpace, did: string): Promise<void> {
    // learning the removal re-syncs the replica, which drops that DID's streams
    await this.#grant(space, did, 'removed')
    space.addresses.delete(did)
  }
}
