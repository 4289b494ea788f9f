import { afterEach, describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import type { Libp2p } from 'libp2p'
import { generateIdentity, type Identity } from '../../shared/identity/did-key.ts'
import { SpaceReplica } from '../sync/space-replica.ts'
import { peerAuth, type PeerAuth } from './auth/index.ts'
import { createMemoryNode } from './testing/memory-nodes.ts'
import { spaceSync, type SpaceSync } from './space-sync/index.ts'
import { PeerTraffic } from './traffic.ts'

type Node = Libp2p<{ peerAuth: PeerAuth; sync: SpaceSync }>
const nodes: Node[] = []
afterEach(async () => await Promise.all(nodes.splice(0).map(async (n) => await n.stop())))

async function member(identity: Identity, traffic: PeerTraffic | undefined): Promise<{ node: Node; replica: SpaceReplica }> {
  const replica = new SpaceReplica(new Y.Doc(), identity, { canRead: () => true, canWrite: () => true })
  const node = await createMemoryNode({
    peerAuth: peerAuth({ identity: () => identity, displayName: () => '', ...(traffic === undefined ? {} : { traffic }) }),
    sync: spaceSync(traffic === undefined ? {} : { traffic }),
  })
  node.services.sync.host({ admit: async () => await Promise.resolve(replica), space: () => replica })
  nodes.push(node)
  return { node, replica }
}

describe('bytes with each peer (PeerTraffic)', () => {
  it("counts the handshake and sync frames each way: one side's out is the other's in, and a large edit shows in full", async () => {
    const [ta, tb] = [new PeerTraffic(), new PeerTraffic()]
    const a = await member(generateIdentity(), ta)
    const b = await member(generateIdentity(), tb)
    await a.node.services.sync.join(await a.node.dial(b.node.getMultiaddrs()), 'space-1')
    const [ida, idb] = [a.node.peerId.toString(), b.node.peerId.toString()]
    const settled = async (): Promise<void> =>
      await expect
        .poll(() => [ta.of(idb).out === tb.of(ida).in, ta.of(idb).in === tb.of(ida).out].every(Boolean), { timeout: 5_000 })
        .toBe(true)
    await settled()
    const before = ta.of(idb)
    expect(before.out).toBeGreaterThan(0)
    expect(before.in).toBeGreaterThan(0)

    a.replica.doc.getText('note').insert(0, 'x'.repeat(20_000))
    await expect.poll(() => b.replica.doc.getText('note').length, { timeout: 5_000 }).toBe(20_000)
    await settled()
    expect(ta.of(idb).out - before.out).toBeGreaterThan(20_000)
    // the acknowledgement back is small: a state vector, not the text
    expect(ta.of(idb).in - before.in).toBeLessThan(2_000)
    expect(ta.of('12D3KooWSomeoneElse')).toEqual({ in: 0, out: 0 })
  })

  it('counts on the side that keeps a count, whatever the other side does', async () => {
    const tb = new PeerTraffic()
    const a = await member(generateIdentity(), undefined)
    const b = await member(generateIdentity(), tb)
    await a.node.services.sync.join(await a.node.dial(b.node.getMultiaddrs()), 'space-1')
    a.replica.doc.getText('note').insert(0, 'hello')
    await expect.poll(() => b.replica.doc.getText('note').toJSON(), { timeout: 5_000 }).toBe('hello')
    // b counts what a sent, though a keeps no count of its own
    await expect.poll(() => tb.of(a.node.peerId.toString()).in, { timeout: 5_000 }).toBeGreaterThan(0)
  })
})
