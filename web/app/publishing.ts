import type { BlockStore } from '../../shared/cas/blocks.ts'
import { dagToCar } from '../../shared/cas/car.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import type { PinningClient } from '../net/pinning-client.ts'
import type { PinRef } from '../../shared/cas/library.ts'
import { asError } from '../../shared/errors.ts'
import type { Privacy } from '../../shared/trust/privacy.ts'
import type { EntriesService } from './entries-service.ts'
import { FileNotInLibraryError, type Library } from './library.ts'

/** Only public content is ever published; the UI is not trusted to check. */
export class NotPublicError extends Error {
  static override name = 'NotPublicError'
  constructor(name: string) {
    super(`“${name}” is not public: only public content can be published. Set “Who may fetch” to Public first.`)
    this.name = 'NotPublicError'
  }
}

/**
 * Publishing: a public file pinned on the relay (through the IPFS Pinning
 * Service API), so it can be had while this browser is closed.
 */
/** Something that can be published: a library file or a signed entry. */
interface Publishable {
  cid: string
  name: string
  privacy: Privacy
  pins: PinRef[] | undefined
  setPins(pins: PinRef[]): Promise<void>
}

export class Publishing {
  readonly #library: Library
  readonly #entries: EntriesService
  readonly #blocks: BlockStore
  readonly #clients: () => PinningClient[]

  /** `clients`: the relay's pinning service first, then any other the person added. */
  constructor(init: { library: Library; entries: EntriesService; blockStore: BlockStore; clients: () => PinningClient[] }) {
    this.#library = init.library
    this.#entries = init.entries
    this.#blocks = init.blockStore
    this.#clients = init.clients
  }

  /** Pins a public file on every service; one that refuses does not stop the others, and its reason is kept. */
  async publish(cid: string, onChange: () => Promise<void>): Promise<void> {
    await this.#publish(await this.#file(cid), onChange)
  }

  /** Pins a public entry (its JWS, one raw block) on every service, so anyone can verify it while this browser is closed. */
  async publishEntry(cid: string, onChange: () => Promise<void>): Promise<void> {
    await this.#publish(await this.#entry(cid), onChange)
  }

  /** Takes a file off every service it was pinned on. */
  async unpin(cid: string): Promise<void> {
    await this.#unpin(await this.#file(cid))
  }

  async unpinEntry(cid: string): Promise<void> {
    await this.#unpin(await this.#entry(cid))
  }

  async #file(cid: string): Promise<Publishable> {
    const file = await this.#library.find(cid)
    if (file === undefined) throw new FileNotInLibraryError(cid)
    return {
      cid: file.cid,
      name: file.name,
      privacy: file.privacy,
      pins: file.pins,
      setPins: async (pins) => await this.#library.setPins(cid, pins),
    }
  }

  async #entry(cid: string): Promise<Publishable> {
    const entry = await this.#entries.stored(cid)
    return {
      cid: entry.cid,
      name: entry.entry.title,
      privacy: entry.privacy,
      pins: entry.pins,
      setPins: async (pins) => await this.#entries.setPins(cid, pins),
    }
  }

  async #publish(target: Publishable, onChange: () => Promise<void>): Promise<void> {
    if (target.privacy.class !== 'public') throw new NotPublicError(target.name)
    const clients = this.#clients()
    let pins: PinRef[] = clients.map((c) => ({ service: c.service, requestid: '', status: 'pinning' }))
    await target.setPins(pins)
    await onChange()
    const failures: Error[] = []
    for (const client of clients) {
      let pin: PinRef
      try {
        pin = await client.pin(target.cid, target.name, () => dagToCar(this.#blocks, parseContentId(target.cid)))
      } catch (err) {
        failures.push(asError(err))
        pin = { service: client.service, requestid: '', status: 'failed', detail: asError(err).message }
      }
      pins = pins.map((p) => (p.service === client.service ? pin : p))
      await target.setPins(pins)
      await onChange()
    }
    if (failures.length === clients.length && failures[0] !== undefined) throw failures[0]
  }

  async #unpin(target: Publishable): Promise<void> {
    if ((target.pins ?? []).length === 0) return
    const clients = this.#clients()
    for (const pin of target.pins ?? []) {
      const client = clients.find((c) => c.service === pin.service)
      if (client !== undefined && pin.requestid !== '') await client.unpin(pin)
    }
    await target.setPins([])
  }
}
