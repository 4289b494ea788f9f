import { describe, expect, it } from 'vitest'
import * as cbor from '@ipld/dag-cbor'
import { generateIdentity } from '../identity/did-key.ts'
import { flipByte } from '../testing/tamper.ts'
import { MAX_SYNC_FRAME_BYTES } from './limits.ts'
import { encodeSignedFrame, parseSignedFrame, verifySignedFrame } from './signed-frame.ts'

describe('the signed frame of space sync', () => {
  const ann = generateIdentity()
  const msg = Uint8Array.of(0, 0, 1, 0)

  it("carries a message its sender's signature verifies", async () => {
    const frame = parseSignedFrame(encodeSignedFrame(ann, msg))
    expect(frame?.by).toBe(ann.did)
    expect(await verifySignedFrame(frame as NonNullable<typeof frame>)).toBe(true)
  })

  it('does not verify with a changed message, a changed signature, or another sender named', async () => {
    const frame = parseSignedFrame(encodeSignedFrame(ann, msg)) as NonNullable<ReturnType<typeof parseSignedFrame>>
    expect(await verifySignedFrame({ ...frame, msg: flipByte(frame.msg, 3) })).toBe(false)
    expect(await verifySignedFrame({ ...frame, sig: flipByte(frame.sig, 10) })).toBe(false)
    expect(await verifySignedFrame({ ...frame, by: generateIdentity().did })).toBe(false)
    expect(await verifySignedFrame({ ...frame, by: 'did:web:example.com' })).toBe(false)
    expect(await verifySignedFrame({ ...frame, sig: frame.sig.subarray(0, 63) })).toBe(false)
  })

  it('is exactly three fields, within the size limit, or not a frame at all', () => {
    const good = { by: ann.did, msg, sig: new Uint8Array(64) }
    expect(parseSignedFrame(cbor.encode(good))).toEqual(good)
    expect(parseSignedFrame(cbor.encode({ ...good, extra: 1 }))).toBeUndefined()
    expect(parseSignedFrame(cbor.encode({ by: ann.did, msg }))).toBeUndefined()
    expect(parseSignedFrame(cbor.encode({ ...good, by: 7 }))).toBeUndefined()
    expect(parseSignedFrame(cbor.encode([1, 2, 3]))).toBeUndefined()
    expect(parseSignedFrame(Uint8Array.of(0xff, 0x00))).toBeUndefined()
    expect(parseSignedFrame(new Uint8Array(MAX_SYNC_FRAME_BYTES + 1))).toBeUndefined()
  })
})
