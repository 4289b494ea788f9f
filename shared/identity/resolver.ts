import { Resolver, type DIDResolutionResult, type ResolverRegistry } from 'did-resolver'
import { base58btc } from 'multiformats/bases/base58'
import { publicKeyFromDid } from './did-key.ts'

/**
 * Resolves Ed25519 did:keys to DID documents as the did:key spec lays them out,
 * offline. Anything else resolves to `invalidDid`.
 */
export function didKeyRegistry(): ResolverRegistry {
  return {
    key: async (did): Promise<DIDResolutionResult> => {
      let publicKey: Uint8Array
      try {
        publicKey = publicKeyFromDid(did)
      } catch (err) {
        return {
          didResolutionMetadata: { error: 'invalidDid', message: (err as Error).message },
          didDocument: null,
          didDocumentMetadata: {},
        }
      }
      const fragment = did.slice('did:key:'.length)
      const methodId = `${did}#${fragment}`
      return {
        didResolutionMetadata: { contentType: 'application/did+json' },
        didDocumentMetadata: {},
        didDocument: {
          '@context': ['https://www.w3.org/ns/did/v1', 'https://w3id.org/security/suites/ed25519-2018/v1'],
          id: did,
          verificationMethod: [
            { id: methodId, type: 'Ed25519VerificationKey2018', controller: did, publicKeyBase58: base58btc.encode(publicKey).slice(1) },
          ],
          authentication: [methodId],
          assertionMethod: [methodId],
          capabilityInvocation: [methodId],
          capabilityDelegation: [methodId],
        },
      }
    },
  }
}

export function createDidResolver(): Resolver {
  return new Resolver(didKeyRegistry())
}
