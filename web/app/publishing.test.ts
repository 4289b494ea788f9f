import { describe, expect, it } from 'vitest'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { MemoryLibraryIndex } from '../store/memory-library-index.ts'
import type { PinRef } from '../../shared/cas/library.ts'
import type { PinningClient } from '../net/pinning-client.ts'
import { Library, type FileInput } from './library.ts'
import { NotPublicError, Publishing } from './publishing.ts'
import { EntriesService } from './entries-service.ts'
import { MemoryEntryIndex } from '../store/memory-entry-index.ts'
import { generateIdentity } from '../../shared/identity/did-key.ts'

const me = generateIdentity()

/** A pinning service in memory: what it was asked, and the CARs it was sent. */
class MemoryPinningClient implements PinningClient {
  readonly service = 'http://relay.test'
  readonly pinned = new Map<string, number>()
  readonly calls: string[] = []
  async pin(cid: string, _name: string, car: () => AsyncIterable<Uint8Array>): Promise<PinRef> {
    this.calls.push(`pin ${cid}`)
    let bytes = 0
    for await (const part of car()) bytes += part.byteLength
    this.pinned.set(cid, bytes)
    return { service: this.service, requestid: `r-${cid.slice(-6)}`, status: 'pinned' }
  }
  async unpin(pin: PinRef): Promise<void> {
    this.calls.push(`unpin ${pin.requestid}`)
    await Promise.resolve()
  }
}

function input(name: string, bytes: Uint8Array): FileInput {
  const blob = new Blob([bytes as Uint8Array<ArrayBuffer>])
  return { name, type: '', size: blob.size, stream: () => blob.stream() }
}

describe('publishing', () => {
  const setUp = () => {
    const blockStore = new MemoryBlockStore()
    const library = new Library({ blockStore, index: new MemoryLibraryIndex() })
    const client = new MemoryPinningClient()
    const entries = new EntriesService({ index: new MemoryEntryIndex(), blockStore, library, signer: () => me })
    return { library, client, entries, publishing: new Publishing({ library, entries, blockStore, clients: () => [client] }) }
  }
  const noop = async () => await Promise.resolve()

  it('pins a public file as a CAR of its whole DAG, and records where', async () => {
    const { library, client, publishing } = setUp()
    const file = await library.add(
      input(
        'big.bin',
        new Uint8Array(600_000).map((_, i) => (i * 7919) % 251),
      ),
    )
    await library.setPrivacy(file.cid, { class: 'public' })
    await publishing.publish(file.cid, noop)
    expect(client.pinned.get(file.cid)).toBeGreaterThan(600_000)
    expect((await library.find(file.cid))?.pins).toEqual([
      { service: 'http://relay.test', requestid: `r-${file.cid.slice(-6)}`, status: 'pinned' },
    ])
    await publishing.unpin(file.cid)
    expect((await library.find(file.cid))?.pins).toEqual([])
    expect(client.calls).toEqual([`pin ${file.cid}`, `unpin r-${file.cid.slice(-6)}`])
  })

  it('pins a public entry (its JWS block) and refuses a private one', async () => {
    const { client, entries, publishing } = setUp()
    const hello = await entries.create({
      type: 'document',
      title: 'Hello',
      content: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
    })
    await expect(publishing.publishEntry(hello.cid, noop)).rejects.toBeInstanceOf(NotPublicError)
    expect(client.calls).toEqual([])
    await entries.setPrivacy(hello.cid, { class: 'public' })
    await publishing.publishEntry(hello.cid, noop)
    expect(client.pinned.get(hello.cid)).toBeGreaterThan(hello.jws.length)
    expect((await entries.stored(hello.cid)).pins?.[0]?.status).toBe('pinned')
  })

  it('never sends a private or restricted file anywhere, whatever it is asked', async () => {
    const { library, client, publishing } = setUp()
    const secret = await library.add(input('secret.txt', new TextEncoder().encode('mine')))
    await expect(publishing.publish(secret.cid, noop)).rejects.toBeInstanceOf(NotPublicError)
    await library.setPrivacy(secret.cid, { class: 'restricted', dids: [] })
    await expect(publishing.publish(secret.cid, noop)).rejects.toBeInstanceOf(NotPublicError)
    expect(client.calls).toEqual([])
    expect((await library.find(secret.cid))?.pins).toBeUndefined()
  })
})
