import { base64url } from 'multiformats/bases/base64'
import type { Identity } from '../identity/did-key.ts'
import { decodeStrict, signJwt, verifyJwt } from '../identity/jws.ts'
import { hasName } from '../errors.ts'
import { AuthRefusedError } from './errors.ts'

export const AUTH_KIND = 'cas-disot/auth'
/** Longest lifetime of an answer. */
export const AUTH_TOKEN_TTL_SECONDS = 60
/** Clock difference tolerated between peers. */
export const AUTH_CLOCK_SKEW_SECONDS = 30

export type AuthRole = 'dialer' | 'listener'

/** What an answer binds: the other side's challenge and DID, both peer IDs, and our role. */
export interface AuthBinding {
  /** The challenge the other side sent us. */
  nonce: Uint8Array
  /** The other side's DID (the audience). */
  audience: string
  /** Our libp2p peer ID, as Noise verified it. */
  peer: string
  /** The other side's libp2p peer ID, as Noise verified it. */
  remotePeer: string
  role: AuthRole
}

export async function createAuthToken(
  identity: Identity,
  binding: AuthBinding,
  nowSeconds = Math.floor(Date.now() / 1000),
): Promise<string> {
  return await signJwt(identity, {
    kind: AUTH_KIND,
    v: 1,
    aud: binding.audience,
    nonce: base64url.baseEncode(binding.nonce),
    peer: binding.peer,
    remotePeer: binding.remotePeer,
    role: binding.role,
    iat: nowSeconds,
    exp: nowSeconds + AUTH_TOKEN_TTL_SECONDS,
  })
}

export interface AuthExpectation {
  /** The DID the other side claimed in its hello. */
  issuer: string
  /** Our DID: the token's audience must be exactly this. */
  audience: string
  /** The challenge we sent on this connection. */
  nonce: Uint8Array
  /** The other side's peer ID on this connection (the token's `peer`). */
  remotePeer: string
  /** Our peer ID (the token's `remotePeer`). */
  peer: string
  /** The role the other side must claim. */
  role: AuthRole
  nowSeconds?: number
}

/** Checks an answer against everything this connection knows; a typed reason for each refusal. */
export async function verifyAuthToken(jws: string, expect: AuthExpectation): Promise<void> {
  const now = expect.nowSeconds ?? Math.floor(Date.now() / 1000)
  let claims: Record<string, unknown>
  try {
    claims = decodeStrict(jws).payload
  } catch (err) {
    throw new AuthRefusedError(hasName(err, 'UnsupportedAlgorithmError') ? 'unsupported-alg' : 'malformed', '', { cause: err })
  }
  if (claims.kind !== AUTH_KIND || claims.v !== 1) throw new AuthRefusedError('not-auth-token')
  if (claims.iss !== expect.issuer) throw new AuthRefusedError('wrong-issuer')
  if (claims.aud !== expect.audience) throw new AuthRefusedError('wrong-audience')
  if (claims.nonce !== base64url.baseEncode(expect.nonce)) throw new AuthRefusedError('wrong-nonce')
  if (claims.peer !== expect.remotePeer || claims.remotePeer !== expect.peer) throw new AuthRefusedError('wrong-peer')
  if (claims.role !== expect.role) throw new AuthRefusedError('wrong-role')
  if (typeof claims.iat !== 'number' || typeof claims.exp !== 'number') throw new AuthRefusedError('malformed', 'iat and exp are required')
  if (claims.exp - claims.iat > AUTH_TOKEN_TTL_SECONDS) throw new AuthRefusedError('too-long-lived')
  if (claims.iat > now + AUTH_CLOCK_SKEW_SECONDS) throw new AuthRefusedError('not-yet-valid')
  if (claims.exp < now - AUTH_CLOCK_SKEW_SECONDS) throw new AuthRefusedError('expired')
  try {
    // times were checked above with our skew; did-jwt checks signature, issuer key and audience
    await verifyJwt(jws, { audience: expect.audience, now })
  } catch (err) {
    throw new AuthRefusedError(hasName(err, 'SignatureInvalidError') ? 'bad-signature' : 'malformed', '', { cause: err })
  }
}
