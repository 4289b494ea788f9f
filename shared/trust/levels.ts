/** Trust on a 0–100 scale, with named steps. A level's name is the highest step at or below it. */
export const TRUST_STEPS = [
  { name: 'blocked', level: 0 },
  { name: 'unknown', level: 1 },
  { name: 'acquaintance', level: 40 },
  { name: 'trusted', level: 70 },
  { name: 'full', level: 100 },
] as const

export type TrustStep = (typeof TRUST_STEPS)[number]['name']

export const TRUST = Object.fromEntries(TRUST_STEPS.map((s) => [s.name, s.level])) as Record<TrustStep, number>

/** What a DID nobody vouched for gets. */
export const UNKNOWN_LEVEL = 20

export function stepOf(level: number): TrustStep {
  let name: TrustStep = 'blocked'
  for (const step of TRUST_STEPS) if (level >= step.level) name = step.name
  return name
}

export class InvalidTrustLevelError extends Error {
  static override name = 'InvalidTrustLevelError'
  constructor(level: unknown) {
    super(`A trust level is a whole number from 0 to 100, got ${JSON.stringify(level)}`)
    this.name = 'InvalidTrustLevelError'
  }
}

export function checkLevel(level: unknown): number {
  if (typeof level !== 'number' || !Number.isInteger(level) || level < 0 || level > 100) throw new InvalidTrustLevelError(level)
  return level
}
