import { afterEach, describe, expect, it } from 'vitest'
import type { Libp2p } from 'libp2p'
import { generateIdentity, type Identity } from '../../../shared/identity/did-key.ts'
import { TRUST } from '../../../shared/trust/levels.ts'
import { MemoryTrustList } from '../../store/trust-lists.ts'
import { MemoryCredentialStore } from '../../store/credential-stores.ts'
import { TrustService } from '../../app/trust-service.ts'
import { peerAuth, type PeerAuth } from '../auth/index.ts'
import { trustExchange, type TrustExchange } from './index.ts'
import { createMemoryNode } from '../testing/memory-nodes.ts'

type Node = Libp2p<{ peerAuth: PeerAuth; trust: TrustExchange }>
const nodes: Node[] = []
afterEach(async () => await Promise.all(nodes.splice(0).map(async (n) => await n.stop())))

async function person(identity: Identity): Promise<{ node: Node; trust: TrustService }> {
  const trust = new TrustService({ list: new MemoryTrustList(), credentials: new MemoryCredentialStore(), identity: () => identity })
  await trust.start()
  const node = await createMemoryNode({
    peerAuth: peerAuth({ identity: () => identity, displayName: () => '' }),
    trust: trustExchange({ bundle: () => trust.bundle() }),
  })
  nodes.push(node)
  return { node, trust }
}

describe('/cas-disot/trust/1.0.0', () => {
  it("hands an authenticated peer the issuer's credentials, and revocations withdraw them", async () => {
    const [aliceId, bobId, daveId] = [generateIdentity(), generateIdentity(), generateIdentity()]
    const alice = await person(aliceId)
    const dave = await person(daveId)
    await alice.trust.issueCredential(bobId.did, TRUST.trusted, 'colleague', 30)
    await dave.trust.setTrust(aliceId.did, TRUST.trusted)
    expect(dave.trust.explain(bobId.did).step).toBe('unknown')

    const connection = await dave.node.dial(alice.node.getMultiaddrs())
    const received = await dave.trust.takeCredentials(aliceId.did, await dave.node.services.trust.fetch(connection))
    expect(received).toEqual({ accepted: 1, refused: 0 })
    expect(dave.trust.explain(bobId.did)).toMatchObject({ step: 'acquaintance', source: 'derived', level: 42 })
    expect(dave.trust.explain(bobId.did).path.map((p) => p.did)).toEqual([aliceId.did, bobId.did])

    // credentials claimed to come from alice but issued by someone else are dropped
    const mallory = await person(generateIdentity())
    await mallory.trust.issueCredential(bobId.did, TRUST.full, '', 30)
    expect(await dave.trust.takeCredentials(aliceId.did, mallory.trust.bundle())).toEqual({ accepted: 0, refused: 1 })

    const [issued] = alice.trust.issuedByMe()
    await alice.trust.revoke(issued?.id ?? '')
    await dave.trust.takeCredentials(aliceId.did, await dave.node.services.trust.fetch(connection))
    expect(dave.trust.explain(bobId.did).step).toBe('unknown')
  })
})
