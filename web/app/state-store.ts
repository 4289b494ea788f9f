/** A tiny observable value for useSyncExternalStore: replace, never mutate. */
export class StateStore<T> {
  #value: T
  readonly #listeners = new Set<() => void>()

  constructor(initial: T) {
    this.#value = initial
  }

  get = (): T => this.#value

  set(update: (value: T) => T): void {
    this.#value = update(this.#value)
    for (const listener of this.#listeners) listener()
  }

  subscribe = (listener: () => void): (() => void) => {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }
}
