/** Why a peer's authentication was refused. Fixed and versioned with /cas-disot/auth/1.0.0. */
export const AUTH_FAILURES = [
  'malformed',
  'unsupported-alg',
  'bad-signature',
  'not-auth-token',
  'wrong-issuer',
  'wrong-audience',
  'wrong-nonce',
  'wrong-peer',
  'wrong-role',
  'expired',
  'not-yet-valid',
  'too-long-lived',
  'replayed',
  'timeout',
] as const
export type AuthFailure = (typeof AUTH_FAILURES)[number]

export class AuthRefusedError extends Error {
  static override name = 'AuthRefusedError'
  readonly reason: AuthFailure
  constructor(reason: AuthFailure, detail = '', options?: ErrorOptions) {
    super(`Peer authentication refused: ${reason}${detail === '' ? '' : ` (${detail})`}`, options)
    this.name = 'AuthRefusedError'
    this.reason = reason
  }
}
