import type { Identity } from '../identity/did-key.ts'
import { signJwt, verifyJwt } from '../identity/jws.ts'
import { InvalidGrantError } from './errors.ts'
import { isSpaceRole, type SpaceRole } from './space-id.ts'

export const MEMBER_KIND = 'cas-disot/member'

export interface Grant {
  member: string
  role: SpaceRole
}

/**
 * The owner's signed statement that a DID belongs to a space. Grants live in
 * the space itself, so every member can check every other member without
 * asking the owner.
 */
export async function createGrant(owner: Identity, space: string, grant: Grant): Promise<string> {
  return await signJwt(owner, { kind: MEMBER_KIND, v: 1, space, sub: grant.member, role: grant.role, iat: Math.floor(Date.now() / 1000) })
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
  if (typeof payload.sub !== 'string' || !isSpaceRole(payload.role)) throw new InvalidGrantError('no member or role')
  return { member: payload.sub, role: payload.role }
}
