/** Remembers the answers already accepted until they expire, so none is accepted twice. */
export class ReplayGuard {
  readonly #seen = new Map<string, number>()

  /** False when `token` was seen before; otherwise records it until `expiresAtMs`. */
  firstSeen(token: string, expiresAtMs: number, nowMs = Date.now()): boolean {
    if (this.#seen.size > 1024) for (const [t, at] of this.#seen) if (at < nowMs) this.#seen.delete(t)
    if (this.#seen.has(token)) return false
    this.#seen.set(token, expiresAtMs)
    return true
  }
}
