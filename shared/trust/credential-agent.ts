import { createAgent, type ICredentialPlugin, type IDIDManager, type IKeyManager, type IResolver, type TAgent } from '@veramo/core'
import { KeyManager, MemoryKeyStore } from '@veramo/key-manager'
import { DIDManager, MemoryDIDStore } from '@veramo/did-manager'
import { DIDResolverPlugin } from '@veramo/did-resolver'
import { KeyDIDProvider } from '@veramo/did-provider-key'
import { CredentialPlugin } from '@veramo/credential-w3c'
import { CredentialProviderJWT } from '@veramo/credential-jwt'
import { type Identity } from '../identity/did-key.ts'
import { decodeStrict } from '../identity/jws.ts'
import { createDidResolver } from '../identity/resolver.ts'
import { checkLevel } from './levels.ts'
import { IDENTITY_KMS, IdentityKms, identityKey } from './identity-kms.ts'
import {
  InvalidCredentialError,
  InvalidPresentationError,
  MAX_CONTEXT_CHARS,
  MAX_PRESENTED_CREDENTIALS,
  PRESENTATION_TTL_SECONDS,
  TRUST_CREDENTIAL_TYPE,
  trustCredentialFromJwt,
  type CredentialAgent,
  type PresentationBinding,
  type TrustClaim,
  type TrustCredential,
} from './credentials.ts'

const W3C_CREDENTIALS_V1 = 'https://www.w3.org/2018/credentials/v1'
type Agent = TAgent<IKeyManager & IDIDManager & IResolver & ICredentialPlugin>

/**
 * The Veramo agent that issues, verifies and presents trust credentials for
 * one identity. Its key store holds the identity's public key only; signing
 * goes to IdentityKms. Loaded when first needed (see lazyCredentialAgent).
 */
export async function createCredentialAgent(identity: Identity): Promise<CredentialAgent> {
  const key = identityKey(identity)
  const keys = new MemoryKeyStore()
  await keys.importKey(key)
  const dids = new MemoryDIDStore()
  await dids.importDID({ did: identity.did, provider: 'did:key', controllerKeyId: key.kid, keys: [key], services: [] })
  const agent: Agent = createAgent({
    plugins: [
      new KeyManager({ store: keys, kms: { [IDENTITY_KMS]: new IdentityKms(identity) } }),
      new DIDManager({
        store: dids,
        defaultProvider: 'did:key',
        providers: { 'did:key': new KeyDIDProvider({ defaultKms: IDENTITY_KMS }) },
      }),
      new DIDResolverPlugin({ resolver: createDidResolver() }),
      new CredentialPlugin([new CredentialProviderJWT()]),
    ],
  })
  return new VeramoCredentialAgent(agent, identity)
}

class VeramoCredentialAgent implements CredentialAgent {
  readonly #agent: Agent
  readonly #identity: Identity

  constructor(agent: Agent, identity: Identity) {
    this.#agent = agent
    this.#identity = identity
  }

  get did(): string {
    return this.#identity.did
  }

  async issue(claim: TrustClaim, nowSeconds = Math.floor(Date.now() / 1000)): Promise<TrustCredential> {
    const issued = await this.#agent.createVerifiableCredential({
      credential: {
        '@context': [W3C_CREDENTIALS_V1],
        type: ['VerifiableCredential', TRUST_CREDENTIAL_TYPE],
        issuer: { id: this.#identity.did },
        issuanceDate: isoDate(nowSeconds),
        expirationDate: isoDate(nowSeconds + claim.validForSeconds),
        credentialSubject: { id: claim.subject, trustLevel: checkLevel(claim.level), context: claim.context.slice(0, MAX_CONTEXT_CHARS) },
      },
      proofFormat: 'jwt',
    })
    return await this.verify(String(issued.proof.jwt), nowSeconds)
  }

  async verify(jwt: string, nowSeconds = Math.floor(Date.now() / 1000)): Promise<TrustCredential> {
    try {
      decodeStrict(jwt)
    } catch (err) {
      throw new InvalidCredentialError(err instanceof Error ? err.message : String(err), { cause: err })
    }
    const result = await this.#agent.verifyCredential({ credential: jwt, policies: { now: nowSeconds, credentialStatus: false } })
    if (!result.verified) throw new InvalidCredentialError(result.error?.message ?? 'it does not verify')
    return await trustCredentialFromJwt(jwt)
  }

  async present(credentials: string[], binding: PresentationBinding, nowSeconds = Math.floor(Date.now() / 1000)): Promise<string> {
    const presented = await this.#agent.createVerifiablePresentation({
      presentation: {
        '@context': [W3C_CREDENTIALS_V1],
        type: ['VerifiablePresentation'],
        holder: this.#identity.did,
        verifiableCredential: credentials.slice(0, MAX_PRESENTED_CREDENTIALS),
        issuanceDate: isoDate(nowSeconds),
        expirationDate: isoDate(nowSeconds + PRESENTATION_TTL_SECONDS),
      },
      challenge: binding.challenge,
      domain: binding.domain,
      proofFormat: 'jwt',
    })
    return String(presented.proof.jwt)
  }

  async verifyPresentation(
    vp: string,
    expected: PresentationBinding & { holder: string },
    nowSeconds = Math.floor(Date.now() / 1000),
  ): Promise<string[]> {
    let claimed
    try {
      claimed = decodeStrict(vp).payload
    } catch (err) {
      throw new InvalidPresentationError('malformed', err instanceof Error ? err.message : String(err), { cause: err })
    }
    // the binding first, so a replay says so rather than failing on something else
    if (claimed.iss !== expected.holder) throw new InvalidPresentationError('wrong-holder', `presented by ${String(claimed.iss)}`)
    if (claimed.nonce !== expected.challenge) throw new InvalidPresentationError('wrong-challenge', 'made for another connection')
    const audience: unknown[] = Array.isArray(claimed.aud) ? claimed.aud : [claimed.aud]
    if (!audience.includes(expected.domain)) throw new InvalidPresentationError('wrong-domain', 'made for someone else')
    const result = await this.#agent.verifyPresentation({
      presentation: vp,
      challenge: expected.challenge,
      domain: expected.domain,
      policies: { now: nowSeconds },
    })
    if (!result.verified) throw new InvalidPresentationError('invalid', result.error?.message ?? 'it does not verify')
    const held = (claimed.vp as { verifiableCredential?: unknown } | undefined)?.verifiableCredential ?? []
    if (!Array.isArray(held) || held.length > MAX_PRESENTED_CREDENTIALS || !held.every((c) => typeof c === 'string')) {
      throw new InvalidPresentationError('malformed', `verifiableCredential must be at most ${MAX_PRESENTED_CREDENTIALS} JWTs`)
    }
    return held
  }
}

function isoDate(seconds: number): string {
  return new Date(seconds * 1000).toISOString()
}
