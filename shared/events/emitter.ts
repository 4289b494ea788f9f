import { logOf } from '../log.ts'

/** Undoes a subscription. */
export type Unsubscribe = () => void

/** Event name → the arguments its listeners receive. */
export type EventMap<E> = { [K in keyof E]: unknown[] }

/** The half of an emitter a component shows the world: anyone may listen, only it may emit. */
export interface Events<E extends EventMap<E>> {
  on<K extends keyof E>(name: K, listener: (...args: E[K]) => void): Unsubscribe
}

const log = logOf('events')

/**
 * The one way our components signal change: typed events by name, every
 * subscription undoable. A listener that throws cannot break the component
 * that emits, nor the listeners after it: its error is logged, with the event.
 */
export class Emitter<E extends EventMap<E>> implements Events<E> {
  readonly #listeners = new Map<keyof E, Set<unknown>>()

  on<K extends keyof E>(name: K, listener: (...args: E[K]) => void): Unsubscribe {
    const set = this.#listeners.get(name) ?? new Set()
    set.add(listener)
    this.#listeners.set(name, set)
    return () => void set.delete(listener)
  }

  emit<K extends keyof E>(name: K, ...args: E[K]): void {
    for (const listener of [...(this.#listeners.get(name) ?? [])] as Array<(...args: E[K]) => void>) {
      try {
        listener(...args)
      } catch (err) {
        log.error('a listener of "%s" threw: %e', name, err)
      }
    }
  }
}
