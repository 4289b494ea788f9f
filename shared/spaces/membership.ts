import type { Identity } from '../identity/did-key.ts'
import { signJwt, verifyJwt } from '../identity/jws.ts'
import { InvalidGrantError } from './errors.ts'
import { isSpaceRole, type SpaceRole } from './space-id.ts'

export const MEMBER_KIND = 'cas-disot/member'

/** A member's part in a space; `removed` is the owner taking it back. */
export type MemberRole = SpaceRole | 'removed'

export interface Grant {
  member: string
  role: MemberRole
  /** Seconds; the owner's newest statement about a DID is the one that counts. */
  issuedAt: number
}

/**
 * The owner's signed statement of a DID's part in a space. Grants travel in
 * the space itself, so every member can check every other member without
 * asking the owner; a removal is a grant too, so a replayed older grant
 * cannot undo it. `after` is the DID's previous grant: the new one is dated
 * later even within the same second.
 */
export async function createGrant(owner: Identity, space: string, grant: Omit<Grant, 'issuedAt'>, after?: Grant): Promise<string> {
  const iat = Math.max(Math.floor(Date.now() / 1000), (after?.issuedAt ?? 0) + 1)
  return await signJwt(owner, { kind: MEMBER_KIND, v: 1, space, sub: grant.member, role: grant.role, iat })
}

export async function verifyGrant(jws: string, expected: { owner: string; space: string }): Promise<Grant> {
  let payload: Record<string, unknown>
  try {
    payload = (await verifyJwt(jws)).payload
  } catch (err) {
    throw new InvalidGrantError('its signature does not verify', { cause: err })
  }
  if (payload.kind !== MEMBER_KIND || payload.v !== 1) throw new InvalidGrantError('not a membership grant')
  if (payload.iss !== expected.owner) throw new InvalidGrantError('not signed by the space owner')
  if (payload.space !== expected.space) throw new InvalidGrantError('for another space')
  const role = payload.role
  if (typeof payload.sub !== 'string' || !(isSpaceRole(role) || role === 'removed')) throw new InvalidGrantError('no member or role')
  if (typeof payload.iat !== 'number' || !Number.isSafeInteger(payload.iat)) throw new InvalidGrantError('no issue time')
  return { member: payload.sub, role, issuedAt: payload.iat }
}

/** Whether `a` replaces `b` about the same DID: later wins; at the same second a removal wins, then the larger JWS, so every replica picks the same. */
export function supersedes(a: { grant: Grant; jws: string }, b: { grant: Grant; jws: string }): boolean {
  if (a.grant.issuedAt !== b.grant.issuedAt) return a.grant.issuedAt > b.grant.issuedAt
  if ((a.grant.role === 'removed') !== (b.grant.role === 'removed')) return a.grant.role === 'removed'
  return a.jws > b.jws
}
