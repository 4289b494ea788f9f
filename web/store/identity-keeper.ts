import { generateIdentity, identityFromSeedNatively, type Identity } from '../../shared/identity/did-key.ts'
import type { AppDb } from './app-db.ts'

const SEED = 'identity-seed'
const NAME = 'identity-display-name'

/** Where this browser keeps its DID identity and display name. */
export interface IdentityKeeper {
  loadOrCreate(): Promise<Identity>
  replace(identity: Identity): Promise<void>
  displayName(): Promise<string>
  setDisplayName(name: string): Promise<void>
}

/** The seed stays in this origin's IndexedDB; only an encrypted backup carries it out. */
export class IdbIdentityKeeper implements IdentityKeeper {
  readonly #db: AppDb

  constructor(db: AppDb) {
    this.#db = db
  }

  /** The stored identity, created on first start. */
  async loadOrCreate(): Promise<Identity> {
    const seed = await this.#db.get('settings', SEED)
    if (seed instanceof Uint8Array) return await identityFromSeedNatively(seed)
    const identity = await identityFromSeedNatively(crypto.getRandomValues(new Uint8Array(32)))
    await this.replace(identity)
    return identity
  }

  async replace(identity: Identity): Promise<void> {
    await this.#db.put('settings', identity.seed, SEED)
  }

  async displayName(): Promise<string> {
    const name = await this.#db.get('settings', NAME)
    return typeof name === 'string' ? name : ''
  }

  async setDisplayName(name: string): Promise<void> {
    await this.#db.put('settings', name, NAME)
  }
}

export class MemoryIdentityKeeper implements IdentityKeeper {
  #identity: Identity | undefined
  #name = ''

  async loadOrCreate(): Promise<Identity> {
    this.#identity ??= generateIdentity()
    return this.#identity
  }

  async replace(identity: Identity): Promise<void> {
    this.#identity = identity
  }

  async displayName(): Promise<string> {
    return this.#name
  }

  async setDisplayName(name: string): Promise<void> {
    this.#name = name
  }
}
