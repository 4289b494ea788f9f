import { describe, expect, it } from 'vitest'
import { privacyAllows, DEFAULT_PRIVACY } from './privacy.ts'
import { stepOf, TRUST } from './levels.ts'

describe('privacy classes', () => {
  const did = 'did:key:z6MkiTBz1ymuepAQ4HEHYSF1H8quG5GLVVQR3djdX3mDooWp'
  it('private admits only peers at or above the level; trusted by default', () => {
    expect(privacyAllows(DEFAULT_PRIVACY, did, TRUST.trusted)).toBe(true)
    expect(privacyAllows(DEFAULT_PRIVACY, did, TRUST.trusted - 1)).toBe(false)
    expect(privacyAllows({ class: 'private', minLevel: 40 }, did, 40)).toBe(true)
  })
  it('restricted admits only named DIDs, public admits anyone not blocked', () => {
    expect(privacyAllows({ class: 'restricted', dids: [did] }, did, 20)).toBe(true)
    expect(privacyAllows({ class: 'restricted', dids: [] }, did, 100)).toBe(false)
    expect(privacyAllows({ class: 'public' }, did, 20)).toBe(true)
  })
  it('blocked always loses', () => {
    expect(privacyAllows({ class: 'public' }, did, 0)).toBe(false)
    expect(privacyAllows({ class: 'restricted', dids: [did] }, did, 0)).toBe(false)
  })
  it('names levels by step', () => {
    expect([0, 1, 20, 39, 40, 69, 70, 99, 100].map(stepOf)).toEqual([
      'blocked',
      'unknown',
      'unknown',
      'unknown',
      'acquaintance',
      'acquaintance',
      'trusted',
      'trusted',
      'full',
    ])
  })
})
