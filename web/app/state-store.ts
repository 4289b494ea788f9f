/**
 * How long changes gather before the UI hears of them: one frame. A busy
 * moment (a page joining a space, a transfer) changes the state many times a
 * frame, and each notice re-renders every view that reads it.
 */
export const NOTIFY_AFTER_MS = 16

/** A tiny observable value for useSyncExternalStore: replace, never mutate. Reads see each change at once; listeners hear of them once per frame. */
export class StateStore<T> {
  #value: T
  readonly #listeners = new Set<() => void>()
  #notifying: ReturnType<typeof setTimeout> | undefined

  constructor(initial: T) {
    this.#value = initial
  }

  get = (): T => this.#value

  set(update: (value: T) => T): void {
    this.#value = update(this.#value)
    if (this.#notifying !== undefined) return
    this.#notifying = setTimeout(() => {
      this.#notifying = undefined
      for (const listener of this.#listeners) listener()
    }, NOTIFY_AFTER_MS)
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
