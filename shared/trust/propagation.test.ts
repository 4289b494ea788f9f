import { describe, expect, it } from 'vitest'
import { deriveTrust, withoutRevoked } from './propagation.ts'
import type { TrustCredential } from './credentials.ts'

const NOW = 1_800_000_000
const DAY = 86_400
let n = 0
const cred = (issuer: string, subject: string, level: number, ageDays = 0, validDays = 365): TrustCredential => ({
  id: `cred-${n++}`,
  jwt: '',
  issuer,
  subject,
  level,
  context: '',
  issuedAt: NOW - ageDays * DAY,
  expiresAt: NOW - ageDays * DAY + validDays * DAY,
})

const derive = (target: string, direct: Array<[string, number]>, credentials: TrustCredential[]) =>
  deriveTrust(target, { me: 'me', direct: new Map(direct), credentials, nowSeconds: NOW })

describe('propagated trust', () => {
  const cases: Array<[string, string, Array<[string, number]>, TrustCredential[], number, string, string[]]> = [
    ['my own level wins over any credential', 'b', [['b', 40]], [cred('a', 'b', 100)], 40, 'direct', []],
    ['one hop: min(my trust in A, A about B) × 0.6', 'b', [['a', 100]], [cred('a', 'b', 70)], 42, 'derived', ['a', 'b']],
    ['capped by my trust in the voucher', 'b', [['a', 40]], [cred('a', 'b', 100)], 24, 'derived', ['a', 'b']],
    ['two hops decay twice', 'c', [['a', 100]], [cred('a', 'b', 100), cred('b', 'c', 100)], 36, 'derived', ['a', 'b', 'c']],
    [
      'three hops still count',
      'd',
      [['a', 100]],
      [cred('a', 'b', 100), cred('b', 'c', 100), cred('c', 'd', 100)],
      21,
      'derived',
      ['a', 'b', 'c', 'd'],
    ],
    [
      'four hops are too far',
      'e',
      [['a', 100]],
      [cred('a', 'b', 100), cred('b', 'c', 100), cred('c', 'd', 100), cred('d', 'e', 100)],
      20,
      'default',
      [],
    ],
    [
      'the best path wins',
      'b',
      [
        ['a', 100],
        ['x', 40],
      ],
      [cred('x', 'b', 100), cred('a', 'b', 70)],
      42,
      'derived',
      ['a', 'b'],
    ],
    [
      'a cycle does not inflate trust',
      'b',
      [['a', 100]],
      [cred('a', 'b', 100), cred('b', 'a', 100), cred('b', 'c', 100), cred('c', 'b', 100)],
      60,
      'derived',
      ['a', 'b'],
    ],
    ['a voucher I blocked counts for nothing', 'b', [['a', 0]], [cred('a', 'b', 100)], 20, 'default', []],
    [
      'my block of the target always wins',
      'b',
      [
        ['a', 100],
        ['b', 0],
      ],
      [cred('a', 'b', 100)],
      0,
      'direct',
      [],
    ],
    [
      'a blocked DID cannot be a hop',
      'c',
      [
        ['a', 100],
        ['b', 0],
      ],
      [cred('a', 'b', 100), cred('b', 'c', 100)],
      20,
      'default',
      [],
    ],
    ['expired credentials count for nothing', 'b', [['a', 100]], [cred('a', 'b', 100, 400, 365)], 20, 'default', []],
    ['a credential hours old has lost nothing yet', 'b', [['a', 100]], [cred('a', 'b', 70, 0.9)], 42, 'derived', ['a', 'b']],
    ['a half-life old credential counts half', 'b', [['a', 100]], [cred('a', 'b', 100, 180, 365)], 30, 'derived', ['a', 'b']],
    ['a credential about me is ignored', 'me', [['a', 100]], [cred('a', 'me', 100)], 20, 'default', []],
  ]
  for (const [label, target, direct, credentials, level, source, path] of cases) {
    it(`${label} (${target}: ${level})`, () => {
      const derived = derive(target, direct, credentials)
      expect(derived.level).toBe(level)
      expect(derived.source).toBe(source)
      expect(derived.path.map((p) => p.did)).toEqual(path)
    })
  }

  it('a revoked credential counts for nothing', () => {
    const c = cred('a', 'b', 100)
    const live = withoutRevoked([c], [{ issuer: 'a', revoked: [c.id] }])
    expect(derive('b', [['a', 100]], live).source).toBe('default')
    expect(withoutRevoked([c], [{ issuer: 'someone-else', revoked: [c.id] }])).toHaveLength(1)
  })
})
