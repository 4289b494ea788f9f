import { entryCid } from '../entries/entry.ts'
import { parseDid, type Identity } from '../identity/did-key.ts'
import { decodeStrict, signJwt, verifyJwt } from '../identity/jws.ts'
import { hasName } from '../errors.ts'
import { checkLevel } from './levels.ts'

export const TRUST_CREDENTIAL_TYPE = 'CasDisotTrustCredential'
export const REVOCATIONS_KIND = 'cas-disot/revocations'
export const MAX_CONTEXT_CHARS = 200
/** Credentials in one presentation, and so in what one peer takes from another. */
export const MAX_PRESENTED_CREDENTIALS = 256
/** A presentation is made for one connection, now: it is not meant to be kept. */
export const PRESENTATION_TTL_SECONDS = 300

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

export interface TrustClaim {
  subject: string
  level: number
  context: string
  validForSeconds: number
}

/** What binds a presentation to one authenticated connection: the verifier's handshake nonce and DID. */
export interface PresentationBinding {
  /** The verifier's auth nonce on this connection, base64url. */
  challenge: string
  /** The verifier's DID. */
  domain: string
}

/** Issues, verifies and presents trust credentials for one identity (a Veramo agent, loaded when first needed). */
export interface CredentialAgent {
  readonly did: string
  issue(claim: TrustClaim, nowSeconds?: number): Promise<TrustCredential>
  /** The signature, the issuer and the dates (by the agent), then the claim. */
  verify(jwt: string, nowSeconds?: number): Promise<TrustCredential>
  /** A VP JWT of these credential JWTs, held by this identity, for one connection. */
  present(credentials: string[], binding: PresentationBinding, nowSeconds?: number): Promise<string>
  /** The credential JWTs a presentation carries, once it verifies as made by `holder` for this binding; they still need verify(). */
  verifyPresentation(vp: string, expected: PresentationBinding & { holder: string }, nowSeconds?: number): Promise<string[]>
}

export class InvalidCredentialError extends Error {
  static override name = 'InvalidCredentialError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Not a valid trust credential: ${detail}`, options)
    this.name = 'InvalidCredentialError'
  }
}

export type PresentationFailure = 'malformed' | 'wrong-holder' | 'wrong-challenge' | 'wrong-domain' | 'invalid'

export class InvalidPresentationError extends Error {
  static override name = 'InvalidPresentationError'
  constructor(
    readonly reason: PresentationFailure,
    detail: string,
    options?: ErrorOptions,
  ) {
    super(`Presentation refused (${reason}): ${detail}`, options)
    this.name = 'InvalidPresentationError'
  }
}

/** One agent per identity, its code loaded on first use so the first screen does not carry it. */
export function lazyCredentialAgent(identity: () => Identity): () => Promise<CredentialAgent> {
  let current: { did: string; agent: Promise<CredentialAgent> } | undefined
  return async () => {
    const me = identity()
    if (current?.did !== me.did) {
      const agent = import('./credential-agent.ts').then(async (m) => await m.createCredentialAgent(me))
      current = { did: me.did, agent }
      void agent.catch(() => {
        if (current?.agent === agent) current = undefined
      })
    }
    return await current.agent
  }
}

/** Reads the claim of a credential whose signature and dates were checked. */
export async function trustCredentialFromJwt(jwt: string): Promise<TrustCredential> {
  const p = decodeStrict(jwt).payload
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
