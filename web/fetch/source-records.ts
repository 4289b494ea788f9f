import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

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
  lastError: string | undefined
}

const SPEEDS_KEPT = 50

export interface SourceRecordsEvents {
  /** A source delivered or failed. */
  change: []
}

/** Every source's record, in memory; the retrieval chain writes it, the UI and the chain's ordering read it. */
export class SourceRecords {
  readonly #records = new Map<string, SourceRecord & { speeds: number[] }>()
  readonly #events = new Emitter<SourceRecordsEvents>()

  list(): SourceRecord[] {
    return [...this.#records.values()].map(({ speeds: _speeds, ...record }) => record)
  }

  get(id: string): SourceRecord | undefined {
    return this.list().find((r) => r.id === id)
  }

  succeeded(source: { id: string; label: string; kind: SourceKind }, bytes: number, ms: number): void {
    const r = this.#entry(source)
    r.successes += 1
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
    this.#changed()
  }

  on<K extends keyof SourceRecordsEvents>(name: K, listener: (...args: SourceRecordsEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  #entry(source: { id: string; label: string; kind: SourceKind }): SourceRecord & { speeds: number[] } {
    let r = this.#records.get(source.id)
    if (r === undefined) {
      r = { ...source, successes: 0, failures: 0, badBytes: 0, medianBytesPerSecond: undefined, lastError: undefined, speeds: [] }
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
