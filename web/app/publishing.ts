import type { BlockStore } from '../../shared/cas/blocks.ts'
import { dagToCar } from '../../shared/cas/car.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import type { PinningClient } from '../net/pinning-client.ts'
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
  readonly #client: PinningClient

  constructor(init: { library: Library; blockStore: BlockStore; client: PinningClient }) {
    this.#library = init.library
    this.#blocks = init.blockStore
    this.#client = init.client
  }

  async publish(cid: string, onChange: () => Promise<void>): Promise<void> {
    const file = await this.#library.find(cid)
    if (file === undefined) throw new Error(`No file ${cid} in the library`)
    if (file.privacy.class !== 'public') throw new NotPublicError(file.name)
    const others = (file.pins ?? []).filter((p) => p.service !== this.#client.service)
    await this.#library.setPins(cid, [...others, { service: this.#client.service, requestid: '', status: 'pinning' }])
    await onChange()
    try {
      const pin = await this.#client.pin(file.cid, file.name, () => dagToCar(this.#blocks, parseContentId(file.cid)))
      await this.#library.setPins(cid, [...others, pin])
    } catch (err) {
      const detail = err instanceof Error ? err.message : String(err)
      await this.#library.setPins(cid, [...others, { service: this.#client.service, requestid: '', status: 'failed', detail }])
      throw err
    } finally {
      await onChange()
    }
  }

  /** Takes the file off every service it was pinned on by this client. */
  async unpin(cid: string): Promise<void> {
    const file = await this.#library.find(cid)
    if (file === undefined) return
    for (const pin of file.pins ?? []) if (pin.service === this.#client.service && pin.requestid !== '') await this.#client.unpin(pin)
    await this.#library.setPins(
      cid,
      (file.pins ?? []).filter((p) => p.service !== this.#client.service),
    )
  }
}
