import { describe, expect, it } from 'vitest'
import { PENDING_SHOWN_AFTER_MS, PendingShown } from './pending-shown.ts'

const AFTER = PENDING_SHOWN_AFTER_MS

describe('what a member row shows of the changes on their way to a member online', () => {
  it('holds a new count back until it has waited, and says when it is due', () => {
    const shown = new PendingShown()
    expect(shown.shown('s', 'ann', 1, 0, 10_000)).toBe(0)
    expect(shown.takeDue()).toBe(10_000 + AFTER)
    // more keystrokes: still held back, due from when the first began to wait
    expect(shown.shown('s', 'ann', 3, 0, 10_400)).toBe(0)
    expect(shown.takeDue()).toBe(10_000 + AFTER)
    expect(shown.shown('s', 'ann', 3, 0, 10_000 + AFTER)).toBe(3)
    expect(shown.takeDue()).toBeUndefined()
  })

  it('keeps holding back while the member acknowledges, as it does while someone types', () => {
    const shown = new PendingShown()
    expect(shown.shown('s', 'ann', 1, 0, 10_000)).toBe(0)
    shown.takeDue()
    // acknowledged at 10 250 and 10 500; typing went on, so some change is always waiting
    expect(shown.shown('s', 'ann', 2, 10_500, 11_200)).toBe(0)
    expect(shown.takeDue()).toBe(10_500 + AFTER)
    // no word from the member for as long: now it shows
    expect(shown.shown('s', 'ann', 4, 10_500, 10_500 + AFTER)).toBe(4)
  })

  it('starts again once nothing waits, and keeps members apart', () => {
    const shown = new PendingShown()
    expect(shown.shown('s', 'ann', 2, 0, 10_000)).toBe(0)
    expect(shown.shown('s', 'ann', 0, 10_200, 10_200)).toBe(0)
    shown.takeDue()
    expect(shown.shown('s', 'bob', 5, 0, 10_000 + AFTER)).toBe(0)
    // Ann's new wait begins now, not at 10 000
    expect(shown.shown('s', 'ann', 1, 10_200, 10_000 + AFTER)).toBe(0)
    expect(shown.takeDue()).toBe(10_000 + 2 * AFTER)
  })

  it('forgets the members of a space that closed', () => {
    const shown = new PendingShown()
    shown.shown('s', 'ann', 2, 0, 10_000)
    shown.shown('t', 'ann', 2, 0, 10_000)
    shown.forget('s')
    expect(shown.shown('s', 'ann', 2, 0, 10_000 + AFTER)).toBe(0)
    expect(shown.shown('t', 'ann', 2, 0, 10_000 + AFTER)).toBe(2)
  })
})
