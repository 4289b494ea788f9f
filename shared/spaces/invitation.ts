import { base32 } from 'multiformats/bases/base32'
import type { Identity } from '../identity/did-key.ts'
import { decodeStrict, signJwt, verifyJwt } from '../identity/jws.ts'
import { hasName } from '../errors.ts'
import { InvitationRefusedError } from './errors.ts'
import { isSpaceId, isSpaceRole, type SpaceRole } from './space-id.ts'

export const INVITE_KIND = 'cas-disot/invite'
export const DEFAULT_INVITE_TTL_SECONDS = 7 * 24 * 3600
const MAX_NAME_CHARS = 200

/** What an invitation says, once its signature has been checked. */
export interface Invitation {
  /** The space's owner, who signed it. */
  inviter: string
  space: string
  name: string
  role: SpaceRole
  /** Single use: the inviter admits one DID per ID. */
  id: string
  expiresAt: number
}

export async function createInvitation(
  owner: Identity,
  init: { space: string; name: string; role: SpaceRole; ttlSeconds?: number },
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  return await signJwt(owner, {
    kind: INVITE_KIND,
    v: 1,
    space: init.space,
    name: init.name.slice(0, MAX_NAME_CHARS),
    role: init.role,
    jti: base32.baseEncode(crypto.getRandomValues(new Uint8Array(16))),
    iat: nowSeconds,
    exp: nowSeconds + (init.ttlSeconds ?? DEFAULT_INVITE_TTL_SECONDS),
  })
}

/**
 * Checks shape, then signature, then time, each with its own refusal. Whether
 * it was used already only the inviter knows.
 */
export async function verifyInvitation(jws: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<Invitation> {
  let claims: Record<string, unknown>
  try {
    claims = decodeStrict(jws).payload
  } catch (err) {
    throw new InvitationRefusedError('malformed', { cause: err })
  }
  const { kind, v, space, name, role, jti, exp, iss } = claims
  if (kind !== INVITE_KIND || v !== 1 || !isSpaceId(space) || !isSpaceRole(role) || typeof name !== 'string') {
    throw new InvitationRefusedError('malformed')
  }
  if (typeof jti !== 'string' || typeof exp !== 'number' || typeof iss !== 'string') throw new InvitationRefusedError('malformed')
  try {
    await verifyJwt(jws, { checkExpiry: false })
  } catch (err) {
    throw new InvitationRefusedError(hasName(err, 'SignatureInvalidError') ? 'forged' : 'malformed', { cause: err })
  }
  if (exp < nowSeconds) throw new InvitationRefusedError('expired')
  return { inviter: iss, space, name: name.slice(0, MAX_NAME_CHARS), role, id: jti, expiresAt: exp }
}
