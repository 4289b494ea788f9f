/**
 * A source's health, from 0 to 1 (PROTOCOL.md, "Health score"):
 * 0.4 · reliability + 0.3 · latency score + 0.3 · uptime score.
 * It orders the sources of a tier: the healthiest is asked first.
 */
export const HEALTH_WEIGHTS = { reliability: 0.4, latency: 0.3, uptime: 0.3 } as const

/** Latency at or under this scores 1; at or over LATENCY_WORST_MS, 0; linear between. */
export const LATENCY_BEST_MS = 50
export const LATENCY_WORST_MS = 2_000
/** Available this long without a failure scores 1. */
export const UPTIME_FULL_MS = 10 * 60_000

/**
 * Deliveries against failures, with one of each assumed before the first
 * (so a new source scores 0.5, and one failure does not sink a good record).
 * A source that ever sent bytes that did not match their CID scores 0: it lied.
 */
export function reliabilityScore(record: { successes: number; failures: number; badBytes: number }): number {
  if (record.badBytes > 0) return 0
  return (record.successes + 1) / (record.successes + record.failures + 2)
}

/** From the median time to the first block (or a heartbeat's round trip); 0.5 while unknown. */
export function latencyScore(ms: number | undefined): number {
  if (ms === undefined || !Number.isFinite(ms)) return 0.5
  if (ms <= LATENCY_BEST_MS) return 1
  if (ms >= LATENCY_WORST_MS) return 0
  return 1 - (ms - LATENCY_BEST_MS) / (LATENCY_WORST_MS - LATENCY_BEST_MS)
}

/** From how long the source has been available without a failure; 0.5 while unknown, 0 right after a failure. */
export function uptimeScore(availableForMs: number | undefined): number {
  if (availableForMs === undefined || !Number.isFinite(availableForMs)) return 0.5
  return Math.min(1, Math.max(0, availableForMs) / UPTIME_FULL_MS)
}

export function healthScore(parts: { reliability: number; latency: number; uptime: number }): number {
  return HEALTH_WEIGHTS.reliability * parts.reliability + HEALTH_WEIGHTS.latency * parts.latency + HEALTH_WEIGHTS.uptime * parts.uptime
}
