import { TRUST, UNKNOWN_LEVEL, stepOf, type TrustStep } from './levels.ts'
import type { TrustCredential } from './credentials.ts'

/** Each hop through someone else's credential keeps this share of the trust. */
export const HOP_DECAY = 0.6
/** Credentials followed at most, from me to the DID in question. */
export const MAX_HOPS = 3
/** A credential's weight halves every this many days after it was issued. */
export const AGE_HALF_LIFE_DAYS = 180

export interface TrustPathStep {
  /** Who vouched (the first step is someone on my own list). */
  did: string
  /** The level my trust had reached at this DID. */
  level: number
}

export interface DerivedTrust {
  level: number
  step: TrustStep
  source: 'direct' | 'derived' | 'default'
  /** For derived trust: the chain of vouchers, from my own list to the DID. */
  path: TrustPathStep[]
}

export interface PropagationInput {
  me: string
  /** My own trust list: DID → level (0 = blocked). */
  direct: ReadonlyMap<string, number>
  /** Verified, unexpired, unrevoked credentials. */
  credentials: readonly TrustCredential[]
  nowSeconds: number
}

export function ageFactor(credential: TrustCredential, nowSeconds: number): number {
  // whole days: a credential loses nothing in its first day, so what the Trust
  // view shows right after issuing (70 × 0.6 = 42) does not tick down every second
  const days = Math.floor(Math.max(0, nowSeconds - credential.issuedAt) / 86_400)
  return 0.5 ** (days / AGE_HALF_LIFE_DAYS)
}

/**
 * Trust in `target`:
 * - direct: my own level for it, whatever anyone says (so my block always wins);
 * - derived: the best over credential chains of at most 3 credentials starting
 *   at someone on my list, where each hop gives
 *   T(subject) = min(T(issuer), stated level) × 0.6 × 0.5^(credential age in whole days / 180),
 *   T of someone on my list being my own level for them. Nobody I blocked can
 *   be on a path, and each hop is capped by the trust reached at its issuer, so
 *   derived trust never exceeds my trust in whoever vouched;
 * - default: unknown (20), when no chain reaches it.
 */
export function deriveTrust(target: string, input: PropagationInput): DerivedTrust {
  const own = input.direct.get(target)
  if (own !== undefined) return { level: own, step: stepOf(own), source: 'direct', path: [] }
  const live = input.credentials.filter((c) => c.expiresAt > input.nowSeconds && c.issuedAt <= input.nowSeconds + 30)
  // best known (undecayed-min, decayed) value per DID, layer by layer
  let frontier = new Map<string, { value: number; path: TrustPathStep[] }>()
  for (const [did, level] of input.direct)
    if (level > TRUST.blocked && did !== input.me) frontier.set(did, { value: level, path: [{ did, level }] })
  let best: { value: number; path: TrustPathStep[] } | undefined
  for (let hop = 1; hop <= MAX_HOPS && frontier.size > 0; hop++) {
    const next = new Map<string, { value: number; path: TrustPathStep[] }>()
    for (const c of live) {
      const from = frontier.get(c.issuer)
      if (from === undefined || c.subject === input.me || c.subject === c.issuer) continue
      if (input.direct.get(c.subject) === TRUST.blocked || from.path.some((p) => p.did === c.subject)) continue
      const value = Math.min(from.value, c.level) * HOP_DECAY * ageFactor(c, input.nowSeconds)
      if (value <= 0) continue
      const candidate = { value, path: [...from.path, { did: c.subject, level: Math.floor(value) }] }
      if (c.subject === target && (best === undefined || value > best.value)) best = candidate
      const seen = next.get(c.subject)
      if (!input.direct.has(c.subject) && (seen === undefined || value > seen.value)) next.set(c.subject, candidate)
    }
    frontier = next
  }
  if (best === undefined) return { level: UNKNOWN_LEVEL, step: stepOf(UNKNOWN_LEVEL), source: 'default', path: [] }
  const level = Math.floor(best.value)
  return { level, step: stepOf(level), source: 'derived', path: best.path }
}

/** Drops credentials that their issuer's newest revocation list withdraws. */
export function withoutRevoked(
  credentials: readonly TrustCredential[],
  lists: readonly { issuer: string; revoked: string[] }[],
): TrustCredential[] {
  const revoked = new Set(lists.flatMap((l) => l.revoked.map((id) => `${l.issuer} ${id}`)))
  return credentials.filter((c) => !revoked.has(`${c.issuer} ${c.id}`))
}
