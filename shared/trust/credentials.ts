import { createVerifiableCredentialJwt, verifyCredential } from 'did-jwt-vc'
import { EdDSASigner } from 'did-jwt'
import { entryCid } from '../entries/entry.ts'
import { parseDid, type Identity } from '../identity/did-key.ts'
import { decodeStrict, signJwt, verifyJwt } from '../identity/jws.ts'
import { createDidResolver } from '../identity/resolver.ts'
import { hasName } from '../errors.ts'
import { checkLevel } from './levels.ts'

export const TRUST_CREDENTIAL_TYPE = 'CasDisotTrustCredential'
export const REVOCATIONS_KIND = 'cas-disot/revocations'
const MAX_CONTEXT_CHARS = 200

/** "Issuer trusts subject at this level, in this context, until then": a W3C VC as a JWT. */
export interface TrustCredential {
  /** CID of the JWT bytes: how revocation lists name it. */
  id: string
  jwt: string
  issuer: string
  subject: string
  level: number
  context: string
  /** Seconds since the epoch. */
  issuedAt: number
  expiresAt: number
}

export class InvalidCredentialError extends Error {
  static override name = 'InvalidCredentialError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Not a valid trust credential: ${detail}`, options)
    this.name = 'InvalidCredentialError'
  }
}

const resolver = createDidResolver()

export async function issueTrustCredential(
  issuer: Identity,
  claim: { subject: string; level: number; context: string; validForSeconds: number },
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<TrustCredential> {
  const jwt = await createVerifiableCredentialJwt(
    {
      sub: parseDid(claim.subject),
      nbf: nowSeconds,
      exp: nowSeconds + claim.validForSeconds,
      vc: {
        '@context': ['https://www.w3.org/2018/credentials/v1'],
        type: ['VerifiableCredential', TRUST_CREDENTIAL_TYPE],
        credentialSubject: { trustLevel: checkLevel(claim.level), context: claim.context.slice(0, MAX_CONTEXT_CHARS) },
      },
    },
    { did: issuer.did, signer: EdDSASigner(issuer.seed), alg: 'EdDSA' },
  )
  return await verifyTrustCredential(jwt, nowSeconds)
}

/** did-jwt-vc checks the signature, the issuer and the dates; we check the claim. */
export async function verifyTrustCredential(jwt: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<TrustCredential> {
  try {
    decodeStrict(jwt)
  } catch (err) {
    throw new InvalidCredentialError(err instanceof Error ? err.message : String(err), { cause: err })
  }
  let verified
  try {
    verified = await verifyCredential(jwt, resolver, { policies: { now: nowSeconds } })
  } catch (err) {
    throw new InvalidCredentialError(err instanceof Error ? err.message : String(err), { cause: err })
  }
  const p = verified.payload
  const vc = p.vc as { type?: unknown; credentialSubject?: { trustLevel?: unknown; context?: unknown } } | undefined
  const subjectClaims = vc?.credentialSubject
  if (!Array.isArray(vc?.type) || !vc.type.includes(TRUST_CREDENTIAL_TYPE)) throw new InvalidCredentialError('not a trust credential')
  if (typeof p.sub !== 'string' || typeof p.iss !== 'string' || typeof p.exp !== 'number' || typeof p.nbf !== 'number') {
    throw new InvalidCredentialError('subject, issuer, nbf and exp are required')
  }
  let level: number
  try {
    level = checkLevel(subjectClaims?.trustLevel)
  } catch (err) {
    throw new InvalidCredentialError('trustLevel is not 0–100', { cause: err })
  }
  return {
    id: await entryCid(jwt),
    jwt,
    issuer: parseDid(p.iss),
    subject: parseDid(p.sub),
    level,
    context: typeof subjectClaims?.context === 'string' ? subjectClaims.context : '',
    issuedAt: p.nbf,
    expiresAt: p.exp,
  }
}

/** An issuer's signed list of the credentials it has withdrawn; the newest list of an issuer replaces older ones. */
export interface RevocationList {
  issuer: string
  issuedAt: number
  revoked: string[]
  jws: string
}

export async function signRevocations(
  issuer: Identity,
  revoked: string[],
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<RevocationList> {
  const jws = await signJwt(issuer, { kind: REVOCATIONS_KIND, v: 1, revoked, iat: nowSeconds })
  return await verifyRevocations(jws)
}

export async function verifyRevocations(jws: string): Promise<RevocationList> {
  try {
    const claimed = decodeStrict(jws).payload
    if (claimed.kind !== REVOCATIONS_KIND) throw new InvalidCredentialError('not a revocation list')
    const { issuer, payload } = await verifyJwt(jws)
    if (!Array.isArray(payload.revoked) || !payload.revoked.every((r) => typeof r === 'string') || typeof payload.iat !== 'number') {
      throw new InvalidCredentialError('malformed revocation list')
    }
    return { issuer, issuedAt: payload.iat, revoked: payload.revoked, jws }
  } catch (err) {
    if (hasName(err, 'InvalidCredentialError')) throw err
    throw new InvalidCredentialError(err instanceof Error ? err.message : String(err), { cause: err })
  }
}
