import { parseDid } from '../../shared/identity/did-key.ts'
import { checkLevel, stepOf, UNKNOWN_LEVEL, type TrustStep } from '../../shared/trust/levels.ts'
import type { TrustList, TrustRecord } from '../../shared/trust/trust-list.ts'

export interface TrustView extends TrustRecord {
  step: TrustStep
}

/** Why a DID has the level it has. */
export interface TrustExplanation {
  level: number
  step: TrustStep
  source: 'direct' | 'default'
}

/**
 * My trust list, held in memory too so that every access decision reads the
 * current level synchronously: a change applies to the very next request.
 */
export class TrustService {
  readonly #list: TrustList
  readonly #records = new Map<string, TrustRecord>()
  readonly #listeners = new Set<() => void>()

  constructor(list: TrustList) {
    this.#list = list
  }

  async start(): Promise<void> {
    for (const r of await this.#list.list()) this.#records.set(r.did, r)
    this.#changed()
  }

  subscribe(listener: () => void): () => void {
    this.#listeners.add(listener)
    return () => this.#listeners.delete(listener)
  }

  explain(did: string): TrustExplanation {
    const record = this.#records.get(did)
    const level = record?.level ?? UNKNOWN_LEVEL
    return { level, step: stepOf(level), source: record === undefined ? 'default' : 'direct' }
  }

  levelOf(did: string): number {
    return this.explain(did).level
  }

  list(): TrustView[] {
    return [...this.#records.values()]
      .map((r) => ({ ...r, step: stepOf(r.level) }))
      .sort((a, b) => b.level - a.level || a.did.localeCompare(b.did))
  }

  /** Sets my trust in a DID (0 blocks it). Typed errors for a malformed DID or level; nothing changes then. */
  async setTrust(did: string, level: number, details: { label?: string; note?: string } = {}): Promise<void> {
    const clean = parseDid(did.trim())
    const before = this.#records.get(clean)
    const record: TrustRecord = {
      did: clean,
      level: checkLevel(level),
      label: (details.label ?? before?.label ?? '').slice(0, 64),
      note: (details.note ?? before?.note ?? '').slice(0, 1000),
      updatedAt: Date.now(),
    }
    this.#records.set(clean, record)
    try {
      await this.#list.put(record)
    } catch (err) {
      if (before === undefined) this.#records.delete(clean)
      else this.#records.set(clean, before)
      throw err
    }
    this.#changed()
  }

  async forget(did: string): Promise<void> {
    this.#records.delete(did)
    await this.#list.delete(did)
    this.#changed()
  }

  #changed(): void {
    for (const listener of this.#listeners) listener()
  }
}
