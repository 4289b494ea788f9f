import { describe, expect, it } from 'vitest'
import { fromString } from 'uint8arrays'
import { identityFromSeed, generateIdentity } from '../identity/did-key.ts'
import { signJwt } from '../identity/jws.ts'
import { flipSignatureBit } from '../testing/tamper.ts'
import { createPinToken, verifyPinToken } from './pin-token.ts'

const RELAY = 'http://127.0.0.1:8787'
const AT = 1767225600 // 2026-01-01T00:00:00Z
/** PROTOCOL.md's vector: seed 0x33 × 32, audience RELAY, iat AT. */
const VECTOR =
  'eyJ0eXAiOiJKV1QiLCJhbGciOiJFZERTQSJ9.eyJpYXQiOjE3NjcyMjU2MDAsImV4cCI6MTc2NzIyNTkwMCwia2luZCI6ImNhcy1kaXNvdC9waW4iLCJ2IjoxLCJhdWQiOiJodHRwOi8vMTI3LjAuMC4xOjg3ODciLCJpc3MiOiJkaWQ6a2V5Ono2TWtnNDlOdFFSMkx5WVJEQ1FGSzR3MVZWSHFoeXBaU1NSbzdIc3l1TjdTVjd2NSJ9.2_JB8i3a4JtnkmlVyu3cxNEk6jNBPltgVfQZqKoBVYpWVPgI4SZxCqFrcm4MqRCJ0TnFO01LbiIZZ8TVtMn8DA'

describe('pin tokens', () => {
  const seeded = identityFromSeed(fromString('33'.repeat(32), 'base16'))

  it('match the documented vector byte for byte, and prove their DID to the relay they name', async () => {
    expect(await createPinToken(seeded, RELAY, AT)).toBe(VECTOR)
    expect(await verifyPinToken(VECTOR, RELAY, AT + 10)).toBe('did:key:z6Mkg49NtQR2LyYRDCQFK4w1VVHqhypZSSRo7HsyuN7SV7v5')
  })

  it('are refused, each with its reason', async () => {
    const someone = generateIdentity()
    const cases: Array<[string, Promise<unknown>]> = [
      ['missing', verifyPinToken(undefined, RELAY, AT)],
      ['malformed', verifyPinToken('not.a.token', RELAY, AT)],
      ['wrong-audience', verifyPinToken(VECTOR, 'https://other.example', AT)],
      ['expired', verifyPinToken(VECTOR, RELAY, AT + 300 + 31)],
      ['not-yet-valid', verifyPinToken(VECTOR, RELAY, AT - 31)],
      ['bad-signature', verifyPinToken(flipSignatureBit(VECTOR), RELAY, AT)],
      [
        'not-pin-token',
        verifyPinToken(await signJwt(someone, { kind: 'cas-disot/auth', v: 1, aud: RELAY, iat: AT, exp: AT + 60 }), RELAY, AT),
      ],
      [
        'too-long-lived',
        verifyPinToken(await signJwt(someone, { kind: 'cas-disot/pin', v: 1, aud: RELAY, iat: AT, exp: AT + 3600 }), RELAY, AT),
      ],
    ]
    for (const [reason, attempt] of cases) await expect(attempt, reason).rejects.toMatchObject({ name: 'PinTokenError', reason })
  })
})
