import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

export interface AppUpdateEvents {
  /** A new version is ready, or the app is now kept for offline use. */
  change: []
}

/**
 * The app shell's versions (the service worker keeps them). A new version
 * waits until the person chooses to reload: it is never applied in the middle
 * of an edit, and before it is, the app closes its stores so nothing typed is
 * lost.
 */
export class AppUpdates {
  readonly #events = new Emitter<AppUpdateEvents>()
  #ready = false
  #offlineReady = false
  #apply: (() => Promise<void>) | undefined

  /** What a reload does to take the new version (the service worker's skip-waiting and reload). */
  applyWith(apply: () => Promise<void>): void {
    this.#apply = apply
  }

  /** The service worker installed a new version; it waits. */
  offer(): void {
    this.#ready = true
    this.#events.emit('change')
  }

  /** The app shell is stored: the app now opens without a network. */
  keptOffline(): void {
    this.#offlineReady = true
    this.#events.emit('change')
  }

  view(): { ready: boolean; offlineReady: boolean } {
    return { ready: this.#ready, offlineReady: this.#offlineReady }
  }

  /** Takes the new version: `beforeReload` first (the app saves and closes its stores). */
  async apply(beforeReload: () => Promise<void>): Promise<void> {
    if (!this.#ready || this.#apply === undefined) throw new NoUpdateError()
    await beforeReload()
    await this.#apply()
  }

  on<K extends keyof AppUpdateEvents>(name: K, listener: (...args: AppUpdateEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }
}

export class NoUpdateError extends Error {
  static override name = 'NoUpdateError'
  constructor() {
    super('No new version of the app is waiting')
    this.name = 'NoUpdateError'
  }
}
