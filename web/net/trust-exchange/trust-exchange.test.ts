import { afterEach, describe, expect, it } from 'vitest'
import type { Libp2p } from 'libp2p'
import type { Connection } from '@libp2p/interface'
import { generateIdentity, type Identity } from '../../../shared/identity/did-key.ts'
import { TRUST } from '../../../shared/trust/levels.ts'
import { TRUST_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import type { TrustService } from '../../app/trust-service.ts'
import { startMemoryTrust, trustServices } from '../../app/testing/memory-trust.ts'
import type { PeerAuth } from '../auth/index.ts'
import type { TrustAnswer, TrustExchange, TrustExchangeInit } from './index.ts'
import { createMemoryNode } from '../testing/memory-nodes.ts'

type Node = Libp2p<{ peerAuth: PeerAuth; trust: TrustExchange }>
const nodes: Node[] = []
afterEach(async () => await Promise.all(nodes.splice(0).map(async (n) => await n.stop())))

interface Person {
  node: Node
  trust: TrustService
  did: string
}

/** A browser's trust as wired in main.tsx; `present` replaced only where a test plays an attacker. */
async function person(identity: Identity, present?: TrustExchangeInit['present']): Promise<Person> {
  const trust = await startMemoryTrust(identity)
  const node = await createMemoryNode(trustServices(identity, trust, present))
  nodes.push(node)
  return { node, trust, did: identity.did }
}

async function meet(me: Person, them: Person): Promise<Connection> {
  const connection = await me.node.dial(them.node.getMultiaddrs())
  await me.node.services.peerAuth.authenticated(connection)
  return connection
}

async function take(me: Person, them: Person, answer: TrustAnswer): Promise<{ accepted: number; refused: number }> {
  if (answer.kind !== 'presentation') throw new Error(`expected a presentation, got a ${answer.kind}`)
  return await me.trust.takePresentation(them.did, answer)
}

describe('/cas-disot/trust/2.0.0: credentials presented, bound to the connection', () => {
  it('C, who trusts A, sees B as an acquaintance once A presents; a revocation withdraws it', async () => {
    const [a, b, c] = [generateIdentity(), generateIdentity(), generateIdentity()]
    const alice = await person(a)
    const carol = await person(c)
    await alice.trust.issueCredential(b.did, TRUST.trusted, 'colleague', 30)
    await carol.trust.setTrust(a.did, TRUST.trusted)
    expect(carol.trust.explain(b.did).step).toBe('unknown')

    const connection = await meet(carol, alice)
    expect(await take(carol, alice, await carol.node.services.trust.fetch(connection))).toEqual({ accepted: 1, refused: 0 })
    expect(carol.trust.explain(b.did)).toMatchObject({ step: 'acquaintance', source: 'derived', level: 42 })
    expect(carol.trust.explain(b.did).path.map((p) => p.did)).toEqual([a.did, b.did])

    const [issued] = alice.trust.issuedByMe()
    await alice.trust.revoke(issued?.id ?? '')
    await take(carol, alice, await carol.node.services.trust.fetch(connection))
    expect(carol.trust.explain(b.did).step).toBe('unknown')
  })

  it('B shows what A said of B to D, who never met A; what B says of others in A’s name is dropped', async () => {
    const [a, b, d, e] = [generateIdentity(), generateIdentity(), generateIdentity(), generateIdentity()]
    const alice = await person(a)
    const bob = await person(b)
    const dave = await person(d)
    await alice.trust.issueCredential(b.did, TRUST.trusted, 'colleague', 30)
    await alice.trust.issueCredential(e.did, TRUST.full, '', 30)
    await take(bob, alice, await bob.node.services.trust.fetch(await meet(bob, alice)))
    expect(bob.trust.aboutMe().map((x) => x.issuer)).toEqual([a.did])

    await dave.trust.setTrust(a.did, TRUST.trusted)
    await alice.node.stop()
    const fromBob = await dave.node.services.trust.fetch(await meet(dave, bob))
    expect(await take(dave, bob, fromBob)).toEqual({ accepted: 1, refused: 0 })
    expect(dave.trust.explain(b.did)).toMatchObject({ step: 'acquaintance', level: 42 })
    // bob holds alice's credential for e as well (he fetched all she issued) but does not present it: it is not his to show
    expect(dave.trust.explain(e.did).step).toBe('unknown')
  })

  it('a presentation replayed on another connection is refused, by the same holder or anyone else', async () => {
    const [a, c, m] = [generateIdentity(), generateIdentity(), generateIdentity()]
    const alice = await person(a)
    const carol = await person(c)
    await alice.trust.issueCredential(m.did, TRUST.full, '', 30)
    await carol.trust.setTrust(a.did, TRUST.trusted)

    const first = await carol.node.services.trust.fetch(await meet(carol, alice))
    if (first.kind !== 'presentation') throw new Error('expected a presentation')
    const captured = first.vp

    // alice's key on another connection (a second device of hers, or whoever took it) sends the old presentation
    const replayer = await person(a, async () => ({ vp: captured, revocations: undefined }))
    const replayed = await carol.node.services.trust.fetch(await meet(carol, replayer))
    await expect(take(carol, replayer, replayed)).rejects.toMatchObject({ name: 'InvalidPresentationError', reason: 'wrong-challenge' })

    // mallory, who was shown it, passes it on as hers
    const mallory = await person(m, async () => ({ vp: captured, revocations: undefined }))
    const passedOn = await carol.node.services.trust.fetch(await meet(carol, mallory))
    await expect(take(carol, mallory, passedOn)).rejects.toMatchObject({ name: 'InvalidPresentationError', reason: 'wrong-holder' })

    // one alice made for mallory's connection, shown to carol by alice's key on a connection with that challenge: wrong domain
    const toMallory = await mallory.node.services.trust.fetch(await meet(mallory, alice))
    if (toMallory.kind !== 'presentation') throw new Error('expected a presentation')
    const forMallory = await person(a, async () => ({ vp: toMallory.vp, revocations: undefined }))
    const shown = await carol.node.services.trust.fetch(await meet(carol, forMallory))
    if (shown.kind !== 'presentation') throw new Error('expected a presentation')
    await expect(carol.trust.takePresentation(a.did, { ...shown, challenge: toMallory.challenge })).rejects.toMatchObject({
      reason: 'wrong-domain',
    })

    expect(carol.trust.explain(m.did).step).toBe('unknown')
    expect(carol.trust.refusals().map((r) => r.reason)).toEqual(['wrong-domain', 'wrong-holder', 'wrong-challenge'])
  })

  it('a peer not yet updated hands over its bundle on /cas-disot/trust/1.0.0; only what it issued is kept', async () => {
    const [a, b, d] = [generateIdentity(), generateIdentity(), generateIdentity()]
    const old = await person(a)
    await old.node.unhandle(TRUST_PROTOCOL)
    const dave = await person(d)
    await old.trust.issueCredential(b.did, TRUST.trusted, 'colleague', 30)
    await dave.trust.setTrust(a.did, TRUST.trusted)

    const answer = await dave.node.services.trust.fetch(await meet(dave, old))
    expect(answer.kind).toBe('bundle')
    if (answer.kind !== 'bundle') return
    expect(await dave.trust.takeCredentials(a.did, answer)).toEqual({ accepted: 1, refused: 0 })
    expect(dave.trust.explain(b.did).step).toBe('acquaintance')

    const mallory = await person(generateIdentity())
    await mallory.trust.issueCredential(b.did, TRUST.full, '', 30)
    expect(await dave.trust.takeCredentials(a.did, mallory.trust.bundle())).toEqual({ accepted: 0, refused: 1 })
  })
})
