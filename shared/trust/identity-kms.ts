import { AbstractKeyManagementSystem } from '@veramo/key-manager'
import type { IKey, ManagedKeyInfo, MinimalImportableKey, TKeyType } from '@veramo/core-types'
import { EdDSASigner } from 'did-jwt'
import { base16 } from 'multiformats/bases/base16'
import type { Identity } from '../identity/did-key.ts'

export const IDENTITY_KMS = 'cas-disot-identity'

/** The one key the app's identity holds, as Veramo names it (kid = the public key in hex, as Veramo's did:key provider does). */
export function identityKey(identity: Identity): ManagedKeyInfo & { kms: string } {
  const publicKeyHex = base16.baseEncode(identity.publicKey)
  return { kid: publicKeyHex, kms: IDENTITY_KMS, type: 'Ed25519', publicKeyHex, meta: { algorithms: ['EdDSA', 'Ed25519'] } }
}

export class KeyOutsideIdentityError extends Error {
  static override name = 'KeyOutsideIdentityError'
  constructor(what: string) {
    super(`The credential agent signs only with this browser's identity; ${what}`)
    this.name = 'KeyOutsideIdentityError'
  }
}

/**
 * A Veramo key management system over the identity the app already keeps: it
 * signs with its seed and holds no key of its own, so no second copy of the
 * private key exists and the identity backup still restores everything.
 */
export class IdentityKms extends AbstractKeyManagementSystem {
  readonly #identity: Identity

  constructor(identity: Identity) {
    super()
    this.#identity = identity
  }

  async listKeys(): Promise<ManagedKeyInfo[]> {
    return [identityKey(this.#identity)]
  }

  async sign(args: { keyRef: Pick<IKey, 'kid'>; algorithm?: string; data: Uint8Array }): Promise<string> {
    if (args.keyRef.kid !== identityKey(this.#identity).kid) throw new KeyOutsideIdentityError(`key ${args.keyRef.kid} is not it`)
    if (args.algorithm !== undefined && args.algorithm !== 'EdDSA' && args.algorithm !== 'Ed25519') {
      throw new KeyOutsideIdentityError(`it signs EdDSA, not ${args.algorithm}`)
    }
    return (await EdDSASigner(this.#identity.seed)(args.data)) as string
  }

  async importKey(_args: Exclude<MinimalImportableKey, 'kms'>): Promise<ManagedKeyInfo> {
    throw new KeyOutsideIdentityError('it imports no keys')
  }

  async createKey(_args: { type: TKeyType }): Promise<ManagedKeyInfo> {
    throw new KeyOutsideIdentityError('it creates no keys')
  }

  async deleteKey(): Promise<boolean> {
    throw new KeyOutsideIdentityError('its key is deleted with the identity only')
  }

  async sharedSecret(): Promise<string> {
    throw new KeyOutsideIdentityError('it does no key agreement')
  }
}
