import type { Page } from '@playwright/test'

/**
 * Moves `bytes` over a plain RTCDataChannel between two pages (no libp2p, no
 * storage): the ceiling the app's path is compared with. Signalling goes
 * through this Node process. Returns milliseconds from first send to last byte received.
 */
// A deep send buffer, so the channel never waits on the page; the message
// size is the caller's (Chromium takes up to 256 KiB).
const HIGH_WATER_BYTES = 8 * 1024 * 1024

export async function rawDataChannelMs(
  sender: Page,
  receiver: Page,
  bytes: number,
  chunkBytes: number,
  highWater = HIGH_WATER_BYTES,
): Promise<number> {
  const offer = await sender.evaluate(async () => {
    const pc = new RTCPeerConnection({ iceServers: [] })
    const channel = pc.createDataChannel('bench', { ordered: true })
    Object.assign(window, { benchPc: pc, benchChannel: channel })
    await pc.setLocalDescription(await pc.createOffer())
    await new Promise<void>((resolve) => {
      if (pc.iceGatheringState === 'complete') resolve()
      pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve())
    })
    return pc.localDescription?.toJSON() as RTCSessionDescriptionInit
  })
  const answer = await receiver.evaluate(
    async ({ offer, bytes }) => {
      const pc = new RTCPeerConnection({ iceServers: [] })
      const done = new Promise<number>((resolve) => {
        pc.addEventListener('datachannel', ({ channel }) => {
          channel.binaryType = 'arraybuffer'
          let received = 0
          channel.addEventListener('message', (event: MessageEvent<ArrayBuffer>) => {
            received += event.data.byteLength
            if (received >= bytes) resolve(Date.now())
          })
        })
      })
      Object.assign(window, { benchPc: pc, benchDone: done })
      await pc.setRemoteDescription(offer)
      await pc.setLocalDescription(await pc.createAnswer())
      await new Promise<void>((resolve) => {
        if (pc.iceGatheringState === 'complete') resolve()
        pc.addEventListener('icegatheringstatechange', () => pc.iceGatheringState === 'complete' && resolve())
      })
      return pc.localDescription?.toJSON() as RTCSessionDescriptionInit
    },
    { offer, bytes },
  )
  const startedAt = await sender.evaluate(
    async ({ answer, bytes, chunkBytes, highWater }) => {
      const { benchPc: pc, benchChannel: channel } = window as unknown as { benchPc: RTCPeerConnection; benchChannel: RTCDataChannel }
      await pc.setRemoteDescription(answer)
      if (channel.readyState !== 'open') await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }))
      const chunk = new Uint8Array(chunkBytes)
      channel.bufferedAmountLowThreshold = highWater / 2
      const startedAt = Date.now()
      for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
        if (channel.bufferedAmount > highWater)
          await new Promise((resolve) => channel.addEventListener('bufferedamountlow', resolve, { once: true }))
        channel.send(chunk.subarray(0, Math.min(chunk.byteLength, bytes - sent)))
      }
      return startedAt
    },
    { answer, bytes, chunkBytes, highWater },
  )
  const finishedAt = await receiver.evaluate(async () => await (window as unknown as { benchDone: Promise<number> }).benchDone)
  await Promise.all(
    [sender, receiver].map(async (p) => await p.evaluate(() => (window as unknown as { benchPc: RTCPeerConnection }).benchPc.close())),
  )
  return finishedAt - startedAt
}
