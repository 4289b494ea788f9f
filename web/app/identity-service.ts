import type { Identity } from '../../shared/identity/did-key.ts'
import { decryptBackup, encryptBackup } from '../../shared/identity/backup.ts'
import type { IdentityKeeper } from '../store/identity-keeper.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

export interface IdentityView {
  did: string
  displayName: string
}

export const MAX_DISPLAY_NAME_CHARS = 64

export class DisplayNameError extends Error {
  static override name = 'DisplayNameError'
  constructor() {
    super(`A display name has at most ${MAX_DISPLAY_NAME_CHARS} characters`)
    this.name = 'DisplayNameError'
  }
}

export interface IdentityEvents {
  /** The identity or its display name changed. */
  change: []
}

/** This browser's DID: who signs its entries. */
export class IdentityService {
  readonly #keeper: IdentityKeeper
  readonly #events = new Emitter<IdentityEvents>()
  #identity: Identity | undefined
  #displayName = ''

  constructor(keeper: IdentityKeeper) {
    this.#keeper = keeper
  }

  on<K extends keyof IdentityEvents>(name: K, listener: (...args: IdentityEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  #changed(): void {
    this.#events.emit('change')
  }

  async start(): Promise<void> {
    this.#identity = await this.#keeper.loadOrCreate()
    this.#displayName = await this.#keeper.displayName()
    this.#changed()
  }

  view(): IdentityView | undefined {
    return this.#identity === undefined ? undefined : { did: this.#identity.did, displayName: this.#displayName }
  }

  /** The signing identity, for the entries use cases only. */
  signer(): Identity {
    if (this.#identity === undefined) throw new Error('The identity has not been loaded yet')
    return this.#identity
  }

  async setDisplayName(name: string): Promise<void> {
    const clean = name.trim()
    if (clean.length > MAX_DISPLAY_NAME_CHARS) throw new DisplayNameError()
    await this.#keeper.setDisplayName(clean)
    this.#displayName = clean
    this.#changed()
  }

  /** The identity encrypted with a passphrase (PBKDF2 600 000 × SHA-256, AES-GCM), as file text. */
  async exportBackup(passphrase: string): Promise<string> {
    return await encryptBackup(this.signer(), passphrase)
  }

  /** Replaces this browser's identity with the one in a backup; changes nothing if it cannot be opened. */
  async importBackup(text: string, passphrase: string): Promise<IdentityView> {
    const identity = await decryptBackup(text, passphrase)
    await this.#keeper.replace(identity)
    this.#identity = identity
    this.#changed()
    return this.view() as IdentityView
  }
}
