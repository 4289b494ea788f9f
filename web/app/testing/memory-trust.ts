import type { Identity } from '../../../shared/identity/did-key.ts'
import { lazyCredentialAgent } from '../../../shared/trust/credentials.ts'
import { peerAuth } from '../../net/auth/index.ts'
import { trustExchange, type TrustExchangeInit } from '../../net/trust-exchange/index.ts'
import { MemoryCredentialStore } from '../../store/credential-stores.ts'
import { MemoryTrustList } from '../../store/trust-lists.ts'
import { TrustService } from '../trust-service.ts'

/** A started trust service on memory stores, with the identity's own credential agent, as main.tsx wires it on IndexedDB. */
export async function startMemoryTrust(identity: Identity): Promise<TrustService> {
  const trust = new TrustService({
    list: new MemoryTrustList(),
    credentials: new MemoryCredentialStore(),
    identity: () => identity,
    agent: lazyCredentialAgent(() => identity),
  })
  await trust.start()
  return trust
}

/**
 * The libp2p services a browser runs for its trust: DID auth and the trust
 * exchange. `present` replaces what it presents, where a test plays an attacker.
 */
export function trustServices(identity: Identity, trust: TrustService, present?: TrustExchangeInit['present']) {
  return {
    peerAuth: peerAuth({ identity: () => identity, displayName: () => '' }),
    trust: trustExchange({ present: present ?? (async (binding) => await trust.present(binding)), bundle: () => trust.bundle() }),
  }
}
