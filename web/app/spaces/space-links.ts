import type { Connection } from '@libp2p/interface'
import type { Identity } from '../../../shared/identity/did-key.ts'
import { InvitationRefusedError, SpaceActionError } from '../../../shared/spaces/errors.ts'
import { createInvitation, verifyInvitation } from '../../../shared/spaces/invitation.ts'
import type { SpaceRole } from '../../../shared/spaces/space-id.ts'
import type { SpaceRecord } from '../../../shared/spaces/space-record.ts'
import { formatInviteLink, parseInviteLink } from '../../../shared/protocol/invite-link.ts'
import { formatSpaceLink, parseSpaceLink } from '../../../shared/protocol/space-link.ts'
import { DEFAULT_PRIVACY } from '../../../shared/trust/privacy.ts'
import type { OpenSpaces } from './open-spaces.ts'
import type { SpaceRecords } from './space-records.ts'
import type { SpacesNetwork } from './spaces-network.ts'

/** A connection being made, or why it could not be. */
type Reaching = Promise<{ connection: Connection } | { error: unknown }>

export interface SpaceLinksComponents {
  spaces: OpenSpaces
  records: SpaceRecords
  network: SpacesNetwork
  identity: () => Identity
  /** The origin links point at. */
  origin: string
  /** Finds the members of my spaces now (after joining one). */
  reconcile: () => void
}

/**
 * The ways into a space: an invitation link for one person, the space link
 * for whom the privacy setting lets in, and opening either to join.
 */
export class SpaceLinks {
  readonly #c: SpaceLinksComponents
  /** Spaces I am joining now: their owner is reached with the invitation, not dialled without it. */
  readonly #joining = new Set<string>()

  constructor(components: SpaceLinksComponents) {
    this.#c = components
  }

  isJoining(spaceId: string): boolean {
    return this.#joining.has(spaceId)
  }

  /** A link (for a QR code too) that admits one person, as reader or writer, until it expires. */
  async invite(spaceId: string, role: SpaceRole, ttlSeconds?: number): Promise<string> {
    const space = this.#c.spaces.owned(spaceId, 'invite')
    const from = this.#myAddress()
    const invitation = await createInvitation(this.#c.identity(), { space: spaceId, name: space.record.name, role, ttlSeconds })
    return formatInviteLink(this.#c.origin, { invitation, from })
  }

  /**
   * A link to the space without an invitation, for the people its privacy
   * class lets in; anyone else who opens it is refused.
   */
  spaceLink(spaceId: string): string {
    const space = this.#c.spaces.owned(spaceId, 'share a link to it')
    return formatSpaceLink(this.#c.origin, { space: spaceId, name: space.record.name, owner: space.record.owner, from: this.#myAddress() })
  }

  /**
   * Opens an invitation link (checked, then the inviter is reached and admits
   * me) or a space link (the owner admits me if the space's privacy does).
   * Refusals throw InvitationRefusedError.
   */
  async accept(linkText: string): Promise<string> {
    const spaceLink = parseSpaceLink(linkText)
    if (spaceLink !== undefined) {
      if (spaceLink.owner === this.#c.identity().did)
        throw new SpaceActionError('This is a link to your own space; send it to the people it is for')
      const { space: id, name, owner, from } = spaceLink
      return await this.#join({ id, name, owner, role: 'read', from }, this.#reach(from))
    }
    const link = parseInviteLink(linkText)
    if (link === undefined) throw new InvitationRefusedError('malformed')
    // the inviter is reached while the invitation is checked and the space opens: the
    // connection counts only once it proves the DID of the checked invitation (#join)
    const reaching = this.#reach(link.from)
    const invitation = await verifyInvitation(link.invitation)
    if (invitation.inviter === this.#c.identity().did)
      throw new SpaceActionError('This is your own invitation; send it to the person you invite')
    const { space: id, name, inviter: owner, role } = invitation
    return await this.#join({ id, name, owner, role, from: link.from }, reaching, link.invitation)
  }

  /**
   * Starts connecting, to be read when the join needs it. A failure no join
   * reads (the invitation did not check out) is in the network's failures.
   */
  #reach(address: string): Reaching {
    return this.#c.network.connect(address).then(
      (connection) => ({ connection }),
      (error: unknown) => ({ error }),
    )
  }

  async #join(
    how: Pick<SpaceRecord, 'id' | 'name' | 'owner'> & { role: SpaceRole; from: string },
    reaching: Reaching,
    invitation?: string,
  ): Promise<string> {
    // a space kept here is joined again as it is, never opened twice
    await this.#c.spaces.kept()
    const existing = this.#c.spaces.get(how.id)
    const space =
      existing ??
      (await this.#c.spaces.open({
        id: how.id,
        name: how.name,
        owner: how.owner,
        role: how.role,
        privacy: DEFAULT_PRIVACY,
        createdAt: Date.now(),
        ownerAddress: how.from,
        usedInvitations: {},
        sync: {},
      }))
    this.#joining.add(how.id)
    try {
      const reached = await reaching
      if ('error' in reached) throw reached.error
      const { connection } = reached
      // the invitation goes to the owner it names, and to no one else
      if (!this.#c.network.connectionsOf(how.owner).some((c) => c.id === connection.id)) throw new InvitationRefusedError('wrong-address')
      await this.#c.network.join(connection, how.id, { invitation })
    } catch (err) {
      // a space opened only for this join goes again; the refusal is the caller's to show
      if (existing === undefined) await this.#c.spaces.forget(space)
      throw err
    } finally {
      this.#joining.delete(how.id)
    }
    await this.#c.records.update(space, (r) => r, 'now')
    this.#c.spaces.changed()
    this.#c.reconcile()
    return how.id
  }

  #myAddress(): string {
    const from = this.#c.network.shareAddress()
    if (from === undefined) throw new SpaceActionError('This browser has no relay address yet, so no one could reach it')
    return from
  }
}
