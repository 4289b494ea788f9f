import { describe, expect, it } from 'vitest'
import {
  healthScore,
  latencyScore,
  LATENCY_BEST_MS,
  LATENCY_WORST_MS,
  reliabilityScore,
  uptimeScore,
  UPTIME_FULL_MS,
} from './health-score.ts'

describe('the health score', () => {
  it('reliability: 0.5 with no record, towards 1 with deliveries, towards 0 with failures, 0 once a source lied', () => {
    expect(reliabilityScore({ successes: 0, failures: 0, badBytes: 0 })).toBe(0.5)
    expect(reliabilityScore({ successes: 98, failures: 0, badBytes: 0 })).toBeCloseTo(0.99, 5)
    expect(reliabilityScore({ successes: 0, failures: 98, badBytes: 0 })).toBeCloseTo(0.01, 5)
    expect(reliabilityScore({ successes: 9, failures: 1, badBytes: 0 })).toBeCloseTo(10 / 12, 10)
    expect(reliabilityScore({ successes: 1000, failures: 0, badBytes: 1 })).toBe(0)
  })

  it('latency: 1 at and under the best, 0 at and over the worst, linear between, 0.5 unknown', () => {
    expect(latencyScore(0)).toBe(1)
    expect(latencyScore(LATENCY_BEST_MS)).toBe(1)
    expect(latencyScore(LATENCY_BEST_MS + 1)).toBeLessThan(1)
    expect(latencyScore((LATENCY_BEST_MS + LATENCY_WORST_MS) / 2)).toBeCloseTo(0.5, 10)
    expect(latencyScore(LATENCY_WORST_MS - 1)).toBeGreaterThan(0)
    expect(latencyScore(LATENCY_WORST_MS)).toBe(0)
    expect(latencyScore(60_000)).toBe(0)
    expect(latencyScore(undefined)).toBe(0.5)
    expect(latencyScore(Number.NaN)).toBe(0.5)
  })

  it('uptime: 0 right after a failure, 1 from ten minutes on, linear between, 0.5 unknown', () => {
    expect(uptimeScore(0)).toBe(0)
    expect(uptimeScore(-5)).toBe(0)
    expect(uptimeScore(UPTIME_FULL_MS / 2)).toBeCloseTo(0.5, 10)
    expect(uptimeScore(UPTIME_FULL_MS)).toBe(1)
    expect(uptimeScore(10 * UPTIME_FULL_MS)).toBe(1)
    expect(uptimeScore(undefined)).toBe(0.5)
  })

  it('weighs them 0.4, 0.3 and 0.3, from 0 to 1', () => {
    expect(healthScore({ reliability: 1, latency: 1, uptime: 1 })).toBeCloseTo(1, 10)
    expect(healthScore({ reliability: 0, latency: 0, uptime: 0 })).toBe(0)
    expect(healthScore({ reliability: 1, latency: 0, uptime: 0 })).toBeCloseTo(0.4, 10)
    expect(healthScore({ reliability: 0, latency: 1, uptime: 0 })).toBeCloseTo(0.3, 10)
    expect(healthScore({ reliability: 0, latency: 0, uptime: 1 })).toBeCloseTo(0.3, 10)
  })
})
