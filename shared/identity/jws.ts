import { createJWT, EdDSASigner, verifyJWT, type JWTPayload } from 'did-jwt'
import { base64url } from 'multiformats/bases/base64'
import { parseDid, type Did, type Identity } from './did-key.ts'
import { MalformedJwsError, SignatureInvalidError, UnsupportedAlgorithmError } from './errors.ts'
import { createDidResolver } from './resolver.ts'

const resolver = createDidResolver()

/** Signs a payload as a compact JWS (a JWT), EdDSA, issued by the identity's did:key. */
export async function signJwt(identity: Identity, payload: Record<string, unknown>): Promise<string> {
  return await createJWT(payload, { issuer: identity.did, signer: EdDSASigner(identity.seed), alg: 'EdDSA' })
}

export interface VerifiedJwt {
  issuer: Did
  payload: JWTPayload
}

export interface VerifyJwtOptions {
  /** Required when the token names an audience. */
  audience?: string
  /** Seconds since the epoch to check times against (default: now). */
  now?: number
  /** False leaves `exp` to the caller, who wants to say "expired" rather than "malformed". */
  checkExpiry?: boolean
}

/**
 * Checks a compact JWS with did-jwt against its issuer's did:key. Refuses,
 * with typed errors, any alg but EdDSA, malformed tokens, issuers that are
 * not Ed25519 did:keys, and signatures that the issuer's key did not make.
 */
export async function verifyJwt(jws: string, options: VerifyJwtOptions = {}): Promise<VerifiedJwt> {
  const decoded = decodeStrict(jws)
  if (typeof decoded.payload.iss !== 'string') throw new MalformedJwsError('no issuer')
  const issuer = parseDid(decoded.payload.iss)
  try {
    const verified = await verifyJWT(jws, {
      resolver,
      audience: options.audience,
      policies: { ...(options.now === undefined ? {} : { now: options.now }), ...(options.checkExpiry === false ? { exp: false } : {}) },
    })
    return { issuer, payload: verified.payload }
  } catch (err) {
    const message = err instanceof Error ? err.message : String(err)
    if (message.startsWith('invalid_signature') || message.startsWith('no_suitable_keys'))
      throw new SignatureInvalidError(issuer, { cause: err })
    throw new MalformedJwsError(message, { cause: err })
  }
}

/**
 * Decodes without verifying; a typed error for anything that is not three
 * base64url parts with JSON objects, and for any alg but EdDSA (checked
 * first, so `alg: none` is refused as such).
 */
export function decodeStrict(jws: string): { header: Record<string, unknown>; payload: JWTPayload } {
  const text = jws.trim()
  if (!/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$/.test(text))
    throw new MalformedJwsError('expected header.payload.signature in base64url')
  const [headerPart, payloadPart] = text.split('.') as [string, string]
  const header = jsonObject(headerPart, 'header')
  if (header.alg !== 'EdDSA') throw new UnsupportedAlgorithmError(header.alg)
  return { header, payload: jsonObject(payloadPart, 'payload') }
}

function jsonObject(part: string, name: string): Record<string, unknown> {
  let value: unknown
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(base64url.baseDecode(part)))
  } catch (err) {
    throw new MalformedJwsError(`${name} is not base64url JSON`, { cause: err })
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new MalformedJwsError(`${name} is not a JSON object`)
  return value as Record<string, unknown>
}
