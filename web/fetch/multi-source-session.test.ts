import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'
import { WANT_WINDOW } from '../../shared/protocol/limits.ts'
import { Emitter } from '../../shared/events/emitter.ts'
import type { BlockSession, BlockSessionEvents } from '../net/block-exchange/session.ts'
import { MultiSourceSession } from './multi-source-session.ts'
import type { ContentSource } from './retrieval.ts'

const source = (id: string, kind: ContentSource['kind']): ContentSource => ({
  id,
  label: id,
  kind,
  open: async () => await Promise.reject(new Error('opened by the test')),
})

/** A session that notes what it is asked for and answers nothing until closed. */
function silentSession(events?: Emitter<BlockSessionEvents>): BlockSession & { asked: CID[] } {
  const asked: CID[] = []
  let close = (): void => undefined
  const closed = new Promise<void>((resolve) => (close = resolve))
  return {
    asked,
    ...(events === undefined ? {} : { events }),
    get: async (cid: CID) => {
      asked.push(cid)
      await closed
      throw new Error('closed')
    },
    close: async () => close(),
  }
}

async function someCids(n: number): Promise<CID[]> {
  const cids: CID[] = []
  for (let i = 0; i < n; i++) cids.push(CID.createV1(raw.code, await sha256.digest(new Uint8Array([i]))))
  return cids
}

describe('a fetch from several sources together', () => {
  it('asks a stream that joined after a slow root for blocks, though a peer that answered its root at once has room for them all', async () => {
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const together = new MultiSourceSession(store, () => undefined)
    const peer = silentSession()
    const stream = silentSession(new Emitter<BlockSessionEvents>())
    together.add(source('peer:a', 'peer'), peer, { bytes: 1000, ms: 1 })
    // the stream's root took 10 s: the request's latency, not what each block after it costs
    together.join(source('relay:x', 'relay'), Promise.resolve({ session: stream, ms: 10_000 }))
    const wanted = (await someCids(WANT_WINDOW)).map(async (cid) => await together.get(cid).catch(() => undefined))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(stream.asked.length).toBeGreaterThan(0)
    // a per-block source with the same slow probe would wait for the peer instead
    const alone = new MultiSourceSession(store, () => undefined)
    const peer2 = silentSession()
    const slow = silentSession()
    alone.add(source('peer:b', 'peer'), peer2, { bytes: 1000, ms: 1 })
    alone.join(source('gateway:y', 'gateway'), Promise.resolve({ session: slow, ms: 10_000 }))
    const wanted2 = (await someCids(WANT_WINDOW)).map(async (cid) => await alone.get(cid).catch(() => undefined))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(slow.asked).toHaveLength(0)
    expect(peer2.asked).toHaveLength(WANT_WINDOW)
    await Promise.all([together.close(), alone.close()])
    await Promise.all([...wanted, ...wanted2])
  })

  it('does not ask a stream for a block it declines while it streams, and asks it once it has stopped', async () => {
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const together = new MultiSourceSession(store, () => undefined)
    const events = new Emitter<BlockSessionEvents>()
    const [before, after] = (await someCids(2)) as [CID, CID]
    let streaming = true
    const stream = { ...silentSession(events), declines: (cid: CID) => streaming && cid.equals(before) }
    together.add(source('relay:x', 'relay'), stream, { bytes: 1000, ms: 1 })
    const wanted = [before, after].map(async (cid) => await together.get(cid).catch(() => undefined))
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(stream.asked).toEqual([after])
    streaming = false
    events.emit('ended')
    expect(stream.asked).toEqual([after, before])
    await together.close()
    await Promise.all(wanted)
  })

  it('holds nothing against a source still opening when the fetch ended, and names one that failed while it ran', async () => {
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const failed: string[] = []
    const together = new MultiSourceSession(store, (s) => failed.push(s.id))
    together.add(source('peer:a', 'peer'), silentSession(), { bytes: 1000, ms: 1 })
    const stopped = new AbortController()
    const stopping = new Promise<never>((_resolve, reject) => stopped.signal.addEventListener('abort', () => reject(new Error('stopped'))))
    together.join(source('relay:late', 'relay'), stopping)
    together.join(source('relay:broken', 'relay'), Promise.reject(new Error('refused')))
    await new Promise((resolve) => setTimeout(resolve, 0))
    // the fetch ends, and its helpers still opening are stopped
    const closing = together.close()
    stopped.abort()
    await closing
    await new Promise((resolve) => setTimeout(resolve, 0))
    expect(failed).toEqual(['relay:broken'])
  })
})
