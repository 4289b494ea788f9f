import { describe, expect, it } from 'vitest'
import * as cbor from '@ipld/dag-cbor'
import { decodeTrustMessage, encodeTrustMessage, type TrustMessage } from './trust-messages.ts'

describe('/cas-disot/trust messages', () => {
  it('round-trip exactly, in both versions', () => {
    const messages: TrustMessage[] = [
      { type: 'get-presentation' },
      { type: 'presentation', vp: 'eyJ.x.y', revocations: null },
      { type: 'presentation', vp: 'eyJ.x.y', revocations: 'eyJ.r.s' },
      { type: 'get-credentials' },
      { type: 'credentials', credentials: ['eyJ.a.b'], revocations: null },
    ]
    for (const message of messages) {
      expect(decodeTrustMessage(encodeTrustMessage(message))).toEqual(message)
    }
  })

  it('refuse what is not exactly a message, with a typed error', () => {
    for (const bad of [
      { type: 'presentation', vp: 7, revocations: null },
      { type: 'presentation', vp: 'eyJ.x.y' },
      { type: 'presentation', vp: 'eyJ.x.y', revocations: null, extra: 1 },
      { type: 'presentation', vp: 'eyJ.x.y', revocations: 5 },
      { type: 'get-presentation', challenge: 'mine' },
      { type: 'credentials', credentials: Array.from({ length: 257 }, () => 'x'), revocations: null },
    ]) {
      expect(() => decodeTrustMessage(cbor.encode(bad)), JSON.stringify(bad).slice(0, 60)).toThrow(
        expect.objectContaining({ name: 'MalformedMessageError' }),
      )
    }
  })
})
