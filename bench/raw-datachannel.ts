import type { Page } from '@playwright/test'

/**
 * How the sender keeps the channel fed: it sends until `bufferedAmount`
 * reaches `highWater`, then waits for it to fall to `lowWater`.
 */
export interface RawChannelSettings {
  messageBytes: number
  highWater: number
  lowWater: number
}

/**
 * The settings the plain channel is tried with, its best kept. On this
 * machine a shallow buffer refilled only once empty (2 MiB, drained to 0, as
 * libp2p's WebRTC streams do) carried 32 MiB at a median 13.9–14.3 MB/s against
 * 9.9–10.6 MB/s for a deep one (8 MiB, refilled at 4 MiB), in two runs of 5–6
 * rounds each, alternating.
 */
export const RAW_CHANNEL_SETTINGS: RawChannelSettings[] = [
  { messageBytes: 64 * 1024, highWater: 8 * 1024 * 1024, lowWater: 4 * 1024 * 1024 },
  { messageBytes: 256 * 1024, highWater: 8 * 1024 * 1024, lowWater: 4 * 1024 * 1024 },
  { messageBytes: 256 * 1024, highWater: 2 * 1024 * 1024, lowWater: 0 },
]

/**
 * Moves `bytes` over a plain RTCDataChannel between two pages (no libp2p, no
 * storage): the ceiling the app's path is compared with. Signalling goes
 * through this Node process. Returns milliseconds from first send to last byte received.
 */
export async function rawDataChannelMs(sender: Page, receiver: Page, bytes: number, settings: RawChannelSettings): Promise<number> {
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
    async ({ answer, bytes, settings }) => {
      const { benchPc: pc, benchChannel: channel } = window as unknown as { benchPc: RTCPeerConnection; benchChannel: RTCDataChannel }
      await pc.setRemoteDescription(answer)
      if (channel.readyState !== 'open') await new Promise((resolve) => channel.addEventListener('open', resolve, { once: true }))
      const chunk = new Uint8Array(settings.messageBytes)
      channel.bufferedAmountLowThreshold = settings.lowWater
      const startedAt = Date.now()
      for (let sent = 0; sent < bytes; sent += chunk.byteLength) {
        if (channel.bufferedAmount >= settings.highWater)
          await new Promise((resolve) => channel.addEventListener('bufferedamountlow', resolve, { once: true }))
        channel.send(chunk.subarray(0, Math.min(chunk.byteLength, bytes - sent)))
      }
      return startedAt
    },
    { answer, bytes, settings },
  )
  const finishedAt = await receiver.evaluate(async () => await (window as unknown as { benchDone: Promise<number> }).benchDone)
  await Promise.all(
    [sender, receiver].map(async (p) => await p.evaluate(() => (window as unknown as { benchPc: RTCPeerConnection }).benchPc.close())),
  )
  return finishedAt - startedAt
}
