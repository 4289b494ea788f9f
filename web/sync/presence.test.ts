import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as awarenessProtocol from 'y-protocols/awareness'
import * as encoding from 'lib0/encoding'
import * as cbor from '@ipld/dag-cbor'
import { ed25519 } from '@noble/curves/ed25519.js'
import { generateIdentity, type Identity } from '../../shared/identity/did-key.ts'
import { SpaceReplica, type PeerHolding, type SpacePolicy } from './space-replica.ts'
import { MESSAGE_AWARENESS, MESSAGE_HELD } from './sync-messages.ts'
import { unconfirmedChanges } from './pending.ts'

const everyone: SpacePolicy = { canRead: () => true, canWrite: () => true }

/** Replicas joined by in-order queues, pumped until quiet. */
function mesh(count: number) {
  const identities = Array.from({ length: count }, () => generateIdentity())
  const replicas = identities.map((id) => new SpaceReplica(new Y.Doc(), id, everyone, { ackDelayMs: 0 }))
  const queue: Array<{ to: number; from: number; frame: Uint8Array }> = []
  const connect = (a: number, b: number): void => {
    replicas[a]?.connect(`r${b}`, identities[b]?.did ?? '', {
      send: (frame) => queue.push({ to: b, from: a, frame }),
      close: () => undefined,
    })
    replicas[b]?.connect(`r${a}`, identities[a]?.did ?? '', {
      send: (frame) => queue.push({ to: a, from: b, frame }),
      close: () => undefined,
    })
  }
  const pump = async (): Promise<void> => {
    for (let i = 0; i < 10_000; i++) {
      await Promise.all(replicas.map((r) => r.sent()))
      const m = queue.shift()
      if (m === undefined) return
      await replicas[m.to]?.receive(`r${m.from}`, m.frame)
    }
  }
  return { identities, replicas: replicas as [SpaceReplica, SpaceReplica, SpaceReplica], connect, pump }
}

function presenceFrame(signer: Identity, client: number, state: Record<string, unknown> | null): Uint8Array {
  const doc = new Y.Doc()
  doc.clientID = client
  const awareness = new awarenessProtocol.Awareness(doc)
  awareness.setLocalState(state)
  const encoder = encoding.createEncoder()
  encoding.writeVarUint(encoder, MESSAGE_AWARENESS)
  encoding.writeVarUint8Array(encoder, awarenessProtocol.encodeAwarenessUpdate(awareness, [client]))
  const msg = encoding.toUint8Array(encoder)
  awareness.destroy()
  return cbor.encode({ by: signer.did, msg, sig: ed25519.sign(msg, signer.seed) })
}

describe('presence and acknowledgements', () => {
  it('each member sees the others present, and they leave when disconnected', async () => {
    const { identities, replicas, connect, pump } = mesh(2)
    const [a, b] = replicas
    a.awareness.setLocalState({ user: { did: identities[0]?.did, name: 'Ann' }, cursor: null })
    connect(0, 1)
    await pump()
    expect(b.awareness.getStates().get(a.doc.clientID)).toMatchObject({ user: { name: 'Ann' } })
    b.awareness.setLocalState({ user: { did: identities[1]?.did, name: 'Bob' } })
    await pump()
    expect(a.awareness.getStates().get(b.doc.clientID)).toMatchObject({ user: { name: 'Bob' } })
    a.disconnect('r1')
    expect(a.awareness.getStates().has(b.doc.clientID)).toBe(false)
    b.destroy()
    a.destroy()
  })

  it('refuses presence that names another DID or takes over another member’s client ID', async () => {
    const { identities, replicas, connect, pump } = mesh(3)
    const [a, b] = replicas
    const [idA, idB, idC] = identities as [Identity, Identity, Identity]
    a.awareness.setLocalState({ user: { did: idA.did, name: 'Ann' } })
    b.awareness.setLocalState({ user: { did: idB.did, name: 'Bob' } })
    connect(0, 1)
    connect(0, 2)
    await pump()
    // C claims to be Bob
    expect(await a.receive('r2', presenceFrame(idC, 12345, { user: { did: idB.did, name: 'Bob' } }))).toEqual({
      ok: false,
      reason: 'malformed',
    })
    // C speaks for Bob's client ID under its own DID
    expect(await a.receive('r2', presenceFrame(idC, b.doc.clientID, { user: { did: idC.did, name: 'Bob?' } }))).toEqual({
      ok: false,
      reason: 'malformed',
    })
    expect(a.awareness.getStates().get(b.doc.clientID)).toMatchObject({ user: { name: 'Bob' } })
    expect(a.awareness.getStates().has(12345)).toBe(false)
    // C about itself is fine
    expect(await a.receive('r2', presenceFrame(idC, 777, { user: { did: idC.did, name: 'Cy' } }))).toEqual({ ok: true })
    expect(a.awareness.getStates().get(777)).toMatchObject({ user: { name: 'Cy' } })
  })

  it('a peer that receives changes answers with what it holds, deletions included, so the sender knows what is not yet sent', async () => {
    const { replicas, connect, pump, identities } = mesh(2)
    const [a, b] = replicas
    const seen: PeerHolding[] = []
    a.on('holding', (did, holding) => {
      if (did === identities[1]?.did) seen.push(holding)
    })
    connect(0, 1)
    await pump()
    const pendingAtB = () => {
      const last = seen.filter((h) => h.snapshot !== undefined).at(-1) as PeerHolding
      return unconfirmedChanges(Y.snapshot(a.doc), { vector: last.vector, deletions: Y.decodeSnapshot(last.snapshot as Uint8Array).ds })
    }
    a.doc.getText('note').insert(0, 'hello')
    expect(pendingAtB()).toBe(5)
    await pump()
    expect(b.doc.getText('note').toJSON()).toBe('hello')
    expect(seen.at(-1)?.vector.get(a.doc.clientID)).toBe(5)
    expect(pendingAtB()).toBe(0)
    // a delete-only change leaves the state vector as it was, and is still counted until B confirms it
    a.doc.getText('note').delete(1, 3)
    expect(pendingAtB()).toBe(3)
    await pump()
    expect(b.doc.getText('note').toJSON()).toBe('ho')
    expect(pendingAtB()).toBe(0)
  })

  it('a held message that is not a snapshot is refused and counted; the document is untouched', async () => {
    const { replicas, connect, pump, identities } = mesh(2)
    const [a] = replicas
    connect(0, 1)
    await pump()
    const before = a.refusals('r1')
    for (const body of [Uint8Array.of(1, 2, 3), Uint8Array.of(0xff, 0xff, 0xff, 0xff, 0x0f), new Uint8Array(0)]) {
      const encoder = encoding.createEncoder()
      encoding.writeVarUint(encoder, MESSAGE_HELD)
      encoding.writeVarUint8Array(encoder, body)
      const msg = encoding.toUint8Array(encoder)
      const signer = identities[1] as Identity
      const frame = cbor.encode({ by: signer.did, msg, sig: ed25519.sign(msg, signer.seed) })
      expect(await a.receive('r1', frame)).toEqual({ ok: false, reason: 'malformed' })
    }
    expect(a.refusals('r1')).toBe(before + 3)
    expect(a.doc.getText('note').toJSON()).toBe('')
  })
})
