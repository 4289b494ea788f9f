import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'
import { healthScore, latencyScore, reliabilityScore, uptimeScore } from '../../shared/protocol/health-score.ts'

/** What kind of place a source is, for people and for ordering. */
export type SourceKind = 'local' | 'peer' | 'relay' | 'gateway'

/** One source's record: how often it delivered, failed, or sent bytes that did not match their CID. */
export interface SourceRecord {
  id: string
  label: string
  kind: SourceKind
  successes: number
  failures: number
  /** Deliveries refused because the bytes did not match their CID. */
  badBytes: number
  /** Median speed of its deliveries, bytes per second (undefined before the first). */
  medianBytesPerSecond: number | undefined
  /** Median time to its first block of a delivery (undefined before the first). */
  medianFirstBlockMs: number | undefined
  lastError: string | undefined
  /** When it last failed (undefined if never). */
  lastFailureAt: number | undefined
  /** From 0 to 1, as PROTOCOL.md defines it: what orders the sources of a tier. */
  health: number
}

/** What is kept of a source between its deliveries and failures. */
interface Entry extends Omit<SourceRecord, 'health'> {
  speeds: number[]
  firstBlocks: number[]
  /** Its first delivery since its last failure. */
  availableSince: number | undefined
}

const SPEEDS_KEPT = 50

export interface SourceRecordsEvents {
  /** A source delivered or failed. */
  change: []
}

/** Every source's record, in memory; the retrieval chain writes it, the UI and the chain's ordering read it. */
export class SourceRecords {
  readonly #records = new Map<string, Entry>()
  readonly #events = new Emitter<SourceRecordsEvents>()

  list(now = Date.now()): SourceRecord[] {
    return [...this.#records.values()].map(({ speeds: _s, firstBlocks: _f, availableSince, ...record }) => {
      const availableFor = availableSince !== undefined ? now - availableSince : record.lastFailureAt !== undefined ? 0 : undefined
      const health = healthScore({
        reliability: reliabilityScore(record),
        latency: latencyScore(record.medianFirstBlockMs),
        uptime: uptimeScore(availableFor),
      })
      return { ...record, health }
    })
  }

  get(id: string): SourceRecord | undefined {
    return this.list().find((r) => r.id === id)
  }

  /** A delivery of `bytes` in `ms`, its first block after `firstBlockMs` (when known). */
  succeeded(source: { id: string; label: string; kind: SourceKind }, bytes: number, ms: number, firstBlockMs?: number): void {
    const r = this.#entry(source)
    r.successes += 1
    r.availableSince ??= Date.now()
    if (firstBlockMs !== undefined) {
      r.firstBlocks = [...r.firstBlocks, firstBlockMs].slice(-SPEEDS_KEPT)
      r.medianFirstBlockMs = median(r.firstBlocks)
    }
    if (bytes > 0) {
      r.speeds = [...r.speeds, (bytes * 1000) / Math.max(ms, 1)].slice(-SPEEDS_KEPT)
      r.medianBytesPerSecond = median(r.speeds)
    }
    this.#changed()
  }

  failed(source: { id: string; label: string; kind: SourceKind }, reason: string, badBytes: boolean): void {
    const r = this.#entry(source)
    r.failures += 1
    if (badBytes) r.badBytes += 1
    r.lastError = reason
    r.availableSince = undefined
    r.lastFailureAt = Date.now()
    this.#changed()
  }

  on<K extends keyof SourceRecordsEvents>(name: K, listener: (...args: SourceRecordsEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  #entry(source: { id: string; label: string; kind: SourceKind }): Entry {
    let r = this.#records.get(source.id)
    if (r === undefined) {
      r = {
        ...source,
        successes: 0,
        failures: 0,
        badBytes: 0,
        medianBytesPerSecond: undefined,
        medianFirstBlockMs: undefined,
        lastError: undefined,
        speeds: [],
        firstBlocks: [],
        availableSince: undefined,
        lastFailureAt: undefined,
      }
      this.#records.set(source.id, r)
    }
    r.label = source.label
    return r
  }

  #changed(): void {
    this.#events.emit('change')
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b)
  const mid = Math.floor(sorted.length / 2)
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2
}
