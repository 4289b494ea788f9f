/** Errors of identities and signatures. Callers check `err.name`. */

export const INVALID_DID_REASONS = ['not-did-key', 'multibase', 'multicodec', 'key-length'] as const
export type InvalidDidReason = (typeof INVALID_DID_REASONS)[number]

const DID_MESSAGES: Record<InvalidDidReason, string> = {
  'not-did-key': 'not a did:key identifier',
  multibase: 'the key is not base58btc multibase (it must start with "z")',
  multicodec: 'the key is not an Ed25519 public key (multicodec 0xed)',
  'key-length': 'an Ed25519 public key is 32 bytes',
}

export class InvalidDidError extends Error {
  static override name = 'InvalidDidError'
  readonly reason: InvalidDidReason
  constructor(did: string, reason: InvalidDidReason, options?: ErrorOptions) {
    super(`Invalid DID "${did.slice(0, 80)}": ${DID_MESSAGES[reason]}`, options)
    this.name = 'InvalidDidError'
    this.reason = reason
  }
}

export class UnsupportedAlgorithmError extends Error {
  static override name = 'UnsupportedAlgorithmError'
  constructor(alg: unknown) {
    super(`Signature algorithm ${JSON.stringify(alg)} refused: only EdDSA is accepted`)
    this.name = 'UnsupportedAlgorithmError'
  }
}

export class MalformedJwsError extends Error {
  static override name = 'MalformedJwsError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Not a well-formed compact JWS: ${detail}`, options)
    this.name = 'MalformedJwsError'
  }
}

export class SignatureInvalidError extends Error {
  static override name = 'SignatureInvalidError'
  constructor(did: string, options?: ErrorOptions) {
    super(`The signature was not made by the key of ${did.slice(0, 80)}`, options)
    this.name = 'SignatureInvalidError'
  }
}
