import { describe, expect, it, vi } from 'vitest'
import * as cbor from '@ipld/dag-cbor'
import { generateIdentity } from '../identity/did-key.ts'
import { flipByte } from '../testing/tamper.ts'
import { MAX_SYNC_FRAME_BYTES } from './limits.ts'
import {
  encodeSignedFrame,
  FrameSigner,
  NATIVE_SIGNING_FROM_BYTES,
  parseSignedFrame,
  verifySignedFrame,
  warmFrameSigning,
} from './signed-frame.ts'

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

describe('the frame signer', () => {
  const ann = generateIdentity()
  const small = Uint8Array.of(0, 0, 1, 0)
  const large = crypto.getRandomValues(new Uint8Array(NATIVE_SIGNING_FROM_BYTES))

  it("signs by the platform's Ed25519 until the JavaScript one is warm, then a small message at once; each frame as the JavaScript Ed25519 would make it", async () => {
    const sign = vi.spyOn(crypto.subtle, 'sign')
    const signer = new FrameSigner(ann)
    const first = signer.sign(small)
    expect(first).toBeInstanceOf(Promise)
    expect(await first).toEqual(encodeSignedFrame(ann, small))
    expect(sign).toHaveBeenCalledTimes(1)
    warmFrameSigning()
    expect(signer.sign(small)).toEqual(encodeSignedFrame(ann, small))
    expect(sign).toHaveBeenCalledTimes(1)
    expect(await signer.sign(large)).toEqual(encodeSignedFrame(ann, large))
    expect(sign).toHaveBeenCalledTimes(2)
    sign.mockRestore()
  })

  it('signs in JavaScript on a platform without Ed25519', async () => {
    const importKey = vi.spyOn(crypto.subtle, 'importKey').mockRejectedValue(new DOMException('no Ed25519', 'NotSupportedError'))
    const sign = vi.spyOn(crypto.subtle, 'sign')
    const signer = new FrameSigner(ann)
    for (const msg of [large, large]) expect(await signer.sign(msg)).toEqual(encodeSignedFrame(ann, msg))
    expect(importKey).toHaveBeenCalledTimes(1)
    expect(sign).not.toHaveBeenCalled()
    importKey.mockRestore()
    sign.mockRestore()
  })
})
