import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import * as cbor from '@ipld/dag-cbor'
import { identityFromSeed } from '../../shared/identity/did-key.ts'
import { SpaceReplica } from './space-replica.ts'

// The /cas-disot/sync/1.0.0 vectors of PROTOCOL.md (frame bodies, without the varint prefix).
const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex')
const DID = 'did:key:z6Mkon3Necd6NkkyfoGoHxid2znGc59LU3K7mubaRcFbLfLX'
const SIG =
  '62d842a4f138ac44ba0e9f2ee73fdef491b6344ff00766bce596d30562263a148199a488072928ad685845c9fd01c18e03a8588f0d193a68c42e8e6aa85f3304'

const HELD_SIG =
  'c10354bbde0778e8b33df1905d25c329eec7a1d30b5b694b1a8bf00b1c7212e93b2f0d20b36d47f3e5ec0a242911e056cbff5a14f5458490df10c6e527aaff0d'

describe('sync protocol vectors', () => {
  it('header and replies', () => {
    expect(hex(cbor.encode({ space: 'a'.repeat(26) }))).toBe(`a1 65 7370616365 78 1a ${'61'.repeat(26)}`.replace(/ /g, ''))
    expect(hex(cbor.encode({ ok: true }))).toBe('a1626f6bf5')
    expect(hex(cbor.encode({ refused: 'used' }))).toBe('a167726566757365646475736564')
  })

  it('the first replica frames of an empty space, signed by the identity of 32 bytes of 0x01', async () => {
    const identity = identityFromSeed(new Uint8Array(32).fill(1))
    expect(identity.did).toBe(DID)
    const frames: Uint8Array[] = []
    const replica = new SpaceReplica(new Y.Doc(), identity, { canRead: () => true, canWrite: () => true })
    replica.connect('peer', DID, { send: (f) => frames.push(f), close: () => undefined })
    await replica.sent()
    const expected = `a3 62 6279 78 38 ${hex(new TextEncoder().encode(DID))} 63 6d7367 44 00000100 63 736967 58 40 ${SIG}`
    expect(hex(frames[0] as Uint8Array)).toBe(expected.replace(/ /g, ''))
    // the second says what it holds: an empty Yjs snapshot (no deletions, empty state vector)
    const held = `a3 62 6279 78 38 ${hex(new TextEncoder().encode(DID))} 63 6d7367 44 02020000 63 736967 58 40 ${HELD_SIG}`
    expect(hex(frames[1] as Uint8Array)).toBe(held.replace(/ /g, ''))
  })
})
