import type { BlockStore } from '../../shared/cas/blocks.ts'
import { dagToCar } from '../../shared/cas/car.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import type { PinningClient } from '../net/pinning-client.ts'
import type { PinRef } from '../../shared/cas/library.ts'
import { asError } from '../../shared/errors.ts'
import type { Library } from './library.ts'

/** Only public content is ever published; the UI is not trusted to check. */
export class NotPublicError extends Error {
  static override name = 'NotPublicError'
  constructor(name: string) {
    super(`“${name}” is not public: only public files can be published. Set “Who may fetch” to Public first.`)
    this.name = 'NotPublicError'
  }
}

/**
 * Publishing: a public file pinned on the relay (through the IPFS Pinning
 * Service API), so it can be had while this browser is closed.
 */
export class Publishing {
  readonly #library: Library
  readonly #blocks: BlockStore
  readonly #clients: () => PinningClient[]

  /** `clients`: the relay's pinning service first, then any other the person added. */
  constructor(init: { library: Library; blockStore: BlockStore; clients: () => PinningClient[] }) {
    this.#library = init.library
    this.#blocks = init.blockStore
    this.#clients = init.clients
  }

  /** Pins a public file on every service; one that refuses does not stop the others, and its reason is kept. */
  async publish(cid: string, onChange: () => Promise<void>): Promise<void> {
    const file = await this.#library.find(cid)
    if (file === undefined) throw new Error(`No file ${cid} in the library`)
    if (file.privacy.class !== 'public') throw new NotPublicError(file.name)
    const clients = this.#clients()
    let pins: PinRef[] = clients.map((c) => ({ service: c.service, requestid: '', status: 'pinning' }))
    await this.#library.setPins(cid, pins)
    await onChange()
    const failures: Error[] = []
    for (const client of clients) {
      let pin: PinRef
      try {
        pin = await client.pin(file.cid, file.name, () => dagToCar(this.#blocks, parseContentId(file.cid)))
      } catch (err) {
        failures.push(asError(err))
        pin = { service: client.service, requestid: '', status: 'failed', detail: asError(err).message }
      }
      pins = pins.map((p) => (p.service === client.service ? pin : p))
      await this.#library.setPins(cid, pins)
      await onChange()
    }
    if (failures.length === clients.length && failures[0] !== undefined) throw failures[0]
  }

  /** Takes the file off every service it was pinned on. */
  async unpin(cid: string): Promise<void> {
    const file = await this.#library.find(cid)
    if (file === undefined || (file.pins ?? []).length === 0) return
    const clients = this.#clients()
    for (const pin of file.pins ?? []) {
      const client = clients.find((c) => c.service === pin.service)
      if (client !== undefined && pin.requestid !== '') await client.unpin(pin)
    }
    await this.#library.setPins(cid, [])
  }
}
