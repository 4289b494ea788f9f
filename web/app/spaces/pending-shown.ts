/**
 * Changes on their way to a member online are shown once they have waited
 * this long without its word of what it holds. That word comes within 250 ms
 * of an edit (the member gathers a burst), so a count that rose and fell with
 * each keystroke told a person nothing, and cost the typing page a redraw per
 * keystroke: about 5 of its 21 ms of work per keystroke, measured.
 */
export const PENDING_SHOWN_AFTER_MS = 1_000

/**
 * What a space's member row shows of the changes still to reach a member
 * online: since when each member has had changes waiting is remembered here,
 * and a count is held back until it has waited PENDING_SHOWN_AFTER_MS past
 * both its start and the member's last acknowledgement.
 */
export class PendingShown {
  /** Since when each member of each open space has had changes waiting: space ID → DID → time. */
  readonly #since = new Map<string, Map<string, number>>()
  #due: number | undefined

  /** The count to show now for a member online. */
  shown(spaceId: string, did: string, pending: number, acknowledgedAt: number | undefined, now: number): number {
    let members = this.#since.get(spaceId)
    if (pending === 0) {
      members?.delete(did)
      return 0
    }
    if (members === undefined) this.#since.set(spaceId, (members = new Map<string, number>()))
    const since = members.get(did) ?? now
    members.set(did, since)
    const due = Math.max(since, acknowledgedAt ?? 0) + PENDING_SHOWN_AFTER_MS
    if (now >= due) return pending
    this.#due = Math.min(this.#due ?? due, due)
    return 0
  }

  /** When the earliest count held back since the last call is due to show, if any: the views are worth computing again then. */
  takeDue(): number | undefined {
    const due = this.#due
    this.#due = undefined
    return due
  }

  /** Forgets the members of a space no longer open. */
  forget(spaceId: string): void {
    this.#since.delete(spaceId)
  }
}
