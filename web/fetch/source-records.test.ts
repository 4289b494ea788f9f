import { describe, expect, it } from 'vitest'
import { UPTIME_FULL_MS } from '../../shared/protocol/health-score.ts'
import { SourceRecords } from './source-records.ts'

const relay = { id: 'relay:x', label: "the relay's gateway", kind: 'relay' as const }

describe('source records', () => {
  it('give a new source the middle health, and raise it with quick deliveries', () => {
    const records = new SourceRecords()
    records.succeeded(relay, 1_000_000, 100, 20)
    const [r] = records.list(Date.now())
    // reliability 2/3, latency 1 (20 ms), uptime 0 (just available)
    expect(r?.health).toBeCloseTo(0.4 * (2 / 3) + 0.3 * 1 + 0.3 * 0, 5)
    expect(records.list(Date.now() + UPTIME_FULL_MS)[0]?.health).toBeCloseTo(0.4 * (2 / 3) + 0.3 + 0.3, 5)
  })

  it('drop a source to no uptime at a failure, and to no reliability once it lied', () => {
    const records = new SourceRecords()
    records.succeeded(relay, 1_000_000, 100, 20)
    records.failed(relay, 'timed out', false)
    const later = Date.now() + UPTIME_FULL_MS
    expect(records.list(later)[0]?.health).toBeCloseTo(0.4 * (2 / 4) + 0.3 * 1 + 0, 5)
    records.failed(relay, 'bytes did not match', true)
    expect(records.list(later)[0]?.health).toBeCloseTo(0 + 0.3 * 1 + 0, 5)
  })
})
