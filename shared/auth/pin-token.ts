import type { Did, Identity } from '../identity/did-key.ts'
import { decodeStrict, signJwt, verifyJwt } from '../identity/jws.ts'
import { hasName } from '../errors.ts'

/**
 * The bearer token of the relay's pinning service: a short-lived JWT that a
 * browser makes with its own did:key, for one relay (the audience). No
 * accounts and no passwords: the DID is the account.
 */
export const PIN_TOKEN_KIND = 'cas-disot/pin'
export const PIN_TOKEN_TTL_SECONDS = 300
const CLOCK_SKEW_SECONDS = 30

export const PIN_TOKEN_FAILURES = [
  'missing',
  'malformed',
  'not-pin-token',
  'wrong-audience',
  'expired',
  'not-yet-valid',
  'too-long-lived',
  'bad-signature',
] as const
export type PinTokenFailure = (typeof PIN_TOKEN_FAILURES)[number]

export class PinTokenError extends Error {
  static override name = 'PinTokenError'
  readonly reason: PinTokenFailure
  constructor(reason: PinTokenFailure, options?: ErrorOptions) {
    super(`The access token was refused: ${reason}`, options)
    this.name = 'PinTokenError'
    this.reason = reason
  }
}

/** A token for the pinning service at `audience` (its origin, e.g. "https://relay.example.org"). */
export async function createPinToken(identity: Identity, audience: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
  return await signJwt(identity, { kind: PIN_TOKEN_KIND, v: 1, aud: audience, iat: nowSeconds, exp: nowSeconds + PIN_TOKEN_TTL_SECONDS })
}

/** The DID a token proves, for this service only; a typed reason for each refusal. */
export async function verifyPinToken(
  token: string | undefined,
  audience: string,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<Did> {
  if (token === undefined || token === '') throw new PinTokenError('missing')
  let claims: Record<string, unknown>
  try {
    claims = decodeStrict(token).payload
  } catch (err) {
    throw new PinTokenError('malformed', { cause: err })
  }
  if (claims.kind !== PIN_TOKEN_KIND || claims.v !== 1) throw new PinTokenError('not-pin-token')
  if (claims.aud !== audience) throw new PinTokenError('wrong-audience')
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new PinTokenError('malformed')
  if (claims.exp - claims.iat > PIN_TOKEN_TTL_SECONDS) throw new PinTokenError('too-long-lived')
  if (claims.iat > nowSeconds + CLOCK_SKEW_SECONDS) throw new PinTokenError('not-yet-valid')
  if (claims.exp < nowSeconds - CLOCK_SKEW_SECONDS) throw new PinTokenError('expired')
  try {
    return (await verifyJwt(token, { audience, now: nowSeconds })).issuer
  } catch (err) {
    throw new PinTokenError(hasName(err, 'SignatureInvalidError') ? 'bad-signature' : 'malformed', { cause: err })
  }
}
