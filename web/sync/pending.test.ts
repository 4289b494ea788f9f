import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { missingChanges, unconfirmedChanges } from './pending.ts'

/** Two documents, B a copy of A at the start. */
function pair() {
  const a = new Y.Doc()
  a.getText('t').insert(0, 'abcdefghij')
  const b = new Y.Doc()
  Y.applyUpdate(b, Y.encodeStateAsUpdate(a))
  const theirs = () => ({ vector: Y.decodeStateVector(Y.encodeStateVector(b)), deletions: Y.snapshot(b).ds })
  return { a, b, theirs }
}

describe('unconfirmed changes', () => {
  it('counts characters the member lacks and deletions it has not seen, and nothing once it has both', () => {
    const { a, b, theirs } = pair()
    expect(unconfirmedChanges(Y.snapshot(a), theirs())).toBe(0)
    a.getText('t').delete(2, 3)
    a.getText('t').insert(0, 'xy')
    expect(unconfirmedChanges(Y.snapshot(a), theirs())).toBe(5)
    Y.applyUpdate(b, Y.encodeStateAsUpdate(a, Y.encodeStateVector(b)))
    expect(unconfirmedChanges(Y.snapshot(a), theirs())).toBe(0)
  })

  it('deletions the member made itself are not mine to send, and a deleted item it lacks counts once, as an item', () => {
    const { a, b, theirs } = pair()
    b.getText('t').delete(0, 4)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b))
    expect(unconfirmedChanges(Y.snapshot(a), theirs())).toBe(0)
    a.getText('t').insert(0, 'new')
    a.getText('t').delete(0, 3)
    expect(unconfirmedChanges(Y.snapshot(a), theirs())).toBe(3)
  })

  it('an unsorted, overlapping delete set from a peer counts no deletion twice and never goes below zero', () => {
    const { a, theirs } = pair()
    a.getText('t').delete(0, 10)
    const client = a.clientID
    const messy = Y.createDeleteSet()
    messy.clients.set(client, [new DeleteItem(5, 5), new DeleteItem(0, 6), new DeleteItem(2, 2)])
    expect(unconfirmedChanges(Y.snapshot(a), { ...theirs(), deletions: messy })).toBe(0)
    messy.clients.set(client, [new DeleteItem(6, 2), new DeleteItem(0, 3)])
    expect(unconfirmedChanges(Y.snapshot(a), { ...theirs(), deletions: messy })).toBe(5)
    // without their delete set, deletions are unknown and not counted
    expect(unconfirmedChanges(Y.snapshot(a), { vector: theirs().vector })).toBe(0)
  })
})

class DeleteItem {
  constructor(
    readonly clock: number,
    readonly len: number,
  ) {}
}

describe('missing changes', () => {
  it('counts what the member holds that I lack, falls as its changes arrive, and is zero once I hold them all', () => {
    const { a, b } = pair()
    b.getText('t').insert(0, 'first ')
    const firstHalf = Y.encodeStateAsUpdate(b, Y.encodeStateVector(a))
    b.getText('t').insert(6, 'second')
    const theirs = Y.decodeStateVector(Y.encodeStateVector(b))
    expect(missingChanges(Y.snapshot(a), theirs)).toBe(12)
    Y.applyUpdate(a, firstHalf)
    expect(missingChanges(Y.snapshot(a), theirs)).toBe(6)
    Y.applyUpdate(a, Y.encodeStateAsUpdate(b, Y.encodeStateVector(a)))
    expect(missingChanges(Y.snapshot(a), theirs)).toBe(0)
    // what only I hold is not missing
    a.getText('t').insert(0, 'mine')
    expect(missingChanges(Y.snapshot(a), theirs)).toBe(0)
  })
})
