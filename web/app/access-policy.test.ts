import { afterEach, describe, expect, it } from 'vitest'
import type { Libp2p } from 'libp2p'
import type { CID } from 'multiformats/cid'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { MemoryLibraryIndex } from '../store/memory-library-index.ts'
import { MemoryEntryIndex } from '../store/memory-entry-index.ts'
import { EntriesService } from './entries-service.ts'
import { generateIdentity, type Identity } from '../../shared/identity/did-key.ts'
import { parseContentId, rawCidFor } from '../../shared/cas/cid.ts'
import { dagBlockIds } from '../../shared/cas/files.ts'
import { encodeResponse } from '../../shared/protocol/block-messages.ts'
import { TRUST } from '../../shared/trust/levels.ts'
import { blockExchange, type BlockExchange } from '../net/block-exchange/index.ts'
import { peerAuth, type PeerAuth } from '../net/auth/index.ts'
import { fetchDag } from '../fetch/fetch-dag.ts'
import { createMemoryNode } from '../net/testing/memory-nodes.ts'
import { Library, type FileInput } from './library.ts'
import { startMemoryTrust } from './testing/memory-trust.ts'
import { AccessPolicy } from './access-policy.ts'

type Node = Libp2p<{ peerAuth: PeerAuth; blocks: BlockExchange }>
const nodes: Node[] = []
afterEach(async () => await Promise.all(nodes.splice(0).map(async (n) => await n.stop())))

async function node(
  identity: Identity,
  blockStore: MemoryBlockStore,
  authorize?: (did: string, cid: CID) => Promise<boolean>,
): Promise<Node> {
  const created = await createMemoryNode({
    peerAuth: peerAuth({ identity: () => identity, displayName: () => '' }),
    blocks: blockExchange({ blockStore, authorize }),
  })
  nodes.push(created)
  return created
}

const file = (name: string, bytes: Uint8Array): FileInput => {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>])
  return { name, type: 'application/octet-stream', size: blob.size, stream: () => blob.stream() }
}

/** Sends one want and returns the raw reply frames, counting every byte received. */
async function rawWant(asker: Node, holder: Node, cid: CID) {
  const connection = await asker.dial(holder.getMultiaddrs())
  const session = await asker.services.blocks.openSession(connection)
  const result = await session.get(cid).then(
    (bytes) => ({ ok: true as const, bytes }),
    (err: Error) => ({ ok: false as const, name: err.name }),
  )
  await session.close()
  return result
}

describe('access control on /cas-disot/blocks/1.0.0', () => {
  it('trusted peers get a private file; others get exactly what a missing CID gets; a block takes effect at once', async () => {
    const alice = generateIdentity()
    const bob = generateIdentity()
    const carol = generateIdentity()
    const aliceBlocks = new MemoryBlockStore()
    const index = new MemoryLibraryIndex()
    const library = new Library({ blockStore: aliceBlocks, index })
    const trust = await startMemoryTrust(alice)
    const entryIndex = new MemoryEntryIndex()
    const access = new AccessPolicy({ index, entries: entryIndex, blockStore: aliceBlocks, trust })
    const secret = new Uint8Array(600_000).map((_, i) => (i * 7919) % 251)
    const added = await library.add(file('secret.bin', secret))
    expect(added.privacy).toEqual({ class: 'private', minLevel: TRUST.trusted })
    await trust.setTrust(bob.did, TRUST.trusted)

    const holder = await node(alice, aliceBlocks, async (did, cid) => await access.mayReceive(did, cid))
    const bobNode = await node(bob, new MemoryBlockStore())
    const carolStore = new MemoryBlockStore()
    const carolNode = await node(carol, carolStore)
    const root = parseContentId(added.cid)

    // bob, trusted, receives the whole file
    const bobStore = new MemoryBlockStore()
    const session = await bobNode.services.blocks.openSession(await bobNode.dial(holder.getMultiaddrs()))
    expect((await fetchDag(session, bobStore, root)).bytes).toBe(secret.byteLength)
    await session.close()

    // carol, unknown, gets "missing": the same as for a CID nobody holds
    const nowhere = await rawCidFor(new TextEncoder().encode('held by nobody'))
    expect(await rawWant(carolNode, holder, root)).toEqual({ ok: false, name: 'BlockNotFoundError' })
    expect(await rawWant(carolNode, holder, nowhere)).toEqual({ ok: false, name: 'BlockNotFoundError' })
    expect(encodeResponse({ type: 'missing', cid: root }).byteLength).toBe(encodeResponse({ type: 'missing', cid: nowhere }).byteLength)
    expect(await carolStore.has(root)).toBe(false)

    // making the file public lets carol in; restricting it to carol shuts bob out
    await library.setPrivacy(added.cid, { class: 'public' })
    access.invalidate()
    expect((await rawWant(carolNode, holder, root)).ok).toBe(true)
    await library.setPrivacy(added.cid, { class: 'restricted', dids: [carol.did] })
    access.invalidate()
    expect(await rawWant(bobNode, holder, root)).toEqual({ ok: false, name: 'BlockNotFoundError' })
    expect((await rawWant(carolNode, holder, root)).ok).toBe(true)

    // blocking carol applies to her very next request, mid-session
    const open = await carolNode.services.blocks.openSession(await carolNode.dial(holder.getMultiaddrs()))
    expect((await open.get(root)).byteLength).toBeGreaterThan(0)
    const blockedAt = performance.now()
    await trust.setTrust(carol.did, TRUST.blocked)
    await expect(open.get(root)).rejects.toMatchObject({ name: 'BlockNotFoundError' })
    expect(performance.now() - blockedAt).toBeLessThan(1000)
    await open.close()

    // entries follow their own class: private by default, so carol (blocked) and bob (trusted) differ
    await trust.setTrust(carol.did, 20)
    const entries = new EntriesService({ index: entryIndex, blockStore: aliceBlocks, library, signer: () => alice })
    const entry = await entries.create({ type: 'document', title: 'About the secret', content: added.cid })
    access.invalidate()
    const entryId = parseContentId(entry.cid)
    expect(
      new TextDecoder().decode(await (await bobNode.services.blocks.openSession(await bobNode.dial(holder.getMultiaddrs()))).get(entryId)),
    ).toBe(entry.jws)
    expect(await rawWant(carolNode, holder, entryId)).toEqual({ ok: false, name: 'BlockNotFoundError' })
    await entries.setPrivacy(entry.cid, { class: 'public' })
    access.invalidate()
    expect((await rawWant(carolNode, holder, entryId)).ok).toBe(true)
  })

  it('a space admits its readers to the files it refers to, every block of them; blocked still wins', async () => {
    const owner = generateIdentity()
    const dave = generateIdentity()
    const blockStore = new MemoryBlockStore()
    const index = new MemoryLibraryIndex()
    const library = new Library({ blockStore, index })
    const trust = await startMemoryTrust(owner)
    const inSpace = new Set<string>()
    const access = new AccessPolicy({
      index,
      entries: new MemoryEntryIndex(),
      blockStore,
      trust,
    })
    access.allowAlso((did, cid) => did === dave.did && inSpace.has(cid))
    const added = await library.add(
      file(
        'plan.bin',
        new Uint8Array(700_000).map((_, i) => i % 253),
      ),
    )
    const leaf = [...(await dagBlockIds(blockStore, parseContentId(added.cid)))].find((c) => c !== added.cid)
    expect(leaf).toBeDefined()
    expect(await access.mayReceive(dave.did, parseContentId(added.cid))).toBe(false)
    inSpace.add(added.cid)
    access.invalidate()
    expect(await access.mayReceive(dave.did, parseContentId(added.cid))).toBe(true)
    expect(await access.mayReceive(dave.did, parseContentId(leaf as string))).toBe(true)
    expect(await access.mayReceive(generateIdentity().did, parseContentId(added.cid))).toBe(false)
    await trust.setTrust(dave.did, TRUST.blocked)
    expect(await access.mayReceive(dave.did, parseContentId(added.cid))).toBe(false)
  })
})
