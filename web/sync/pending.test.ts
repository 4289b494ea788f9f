import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { addShown, missingChanges, nothingShown, unconfirmedChanges, withShown } from './pending.ts'

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

describe('what a member has shown by sending it', () => {
  it('its own edits, sent to me before it says what it holds, are not mine to send it: insertions and deletions', () => {
    const { a, b, theirs } = pair()
    const told = theirs()
    const shown = nothingShown()
    const before = Y.encodeStateVector(b)
    b.getText('t').insert(0, 'new ')
    b.getText('t').delete(8, 2)
    const update = Y.encodeStateAsUpdate(b, before)
    Y.applyUpdate(a, update)
    // what it told me is older than its edits: they look like mine to send
    expect(unconfirmedChanges(Y.snapshot(a), told)).toBe(6)
    addShown(shown, Y.decodeUpdate(update))
    expect(unconfirmedChanges(Y.snapshot(a), withShown(told, shown))).toBe(0)
    // what I add myself is still counted
    a.getText('t').insert(0, 'mine')
    expect(unconfirmedChanges(Y.snapshot(a), withShown(told, shown))).toBe(4)
  })

  it('a range beyond a gap in what it holds does not count as held, and deletions stay unknown when they were', () => {
    const { b } = pair()
    const client = b.clientID
    const shown = nothingShown()
    const start = Y.encodeStateVector(b)
    b.getText('t').insert(0, 'one ')
    const middle = Y.encodeStateVector(b)
    b.getText('t').insert(0, 'two ')
    // only the second edit was sent: the member holds it, but my vector for it cannot pass the first
    addShown(shown, Y.decodeUpdate(Y.encodeStateAsUpdate(b, middle)))
    const told = { vector: Y.decodeStateVector(start) }
    expect(withShown(told, shown).vector.get(client)).toBe(0)
    addShown(shown, Y.decodeUpdate(Y.encodeStateAsUpdate(b, start)))
    expect(withShown(told, shown).vector.get(client)).toBe(8)
    expect(withShown(told, shown).deletions).toBeUndefined()
  })

  it('changes sent out of order are kept as a short list of ranges and still count as held', () => {
    const b = new Y.Doc()
    const updates: Uint8Array[] = []
    for (let i = 0; i < 200; i++) {
      const before = Y.encodeStateVector(b)
      b.getText('t').insert(i, 'x')
      updates.push(Y.encodeStateAsUpdate(b, before))
    }
    const shown = nothingShown()
    // every other one first, then the rest: none touches the one before it
    for (const update of [...updates.filter((_, i) => i % 2 === 1), ...updates.filter((_, i) => i % 2 === 0)])
      addShown(shown, Y.decodeUpdate(update))
    expect(shown.items.get(b.clientID)?.length).toBeLessThanOrEqual(65)
    expect(withShown({ vector: new Map() }, shown).vector.get(b.clientID)).toBe(200)
  })
})
