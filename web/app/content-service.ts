import type { Connection } from '@libp2p/interface'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import { heldContentBytes } from '../../shared/cas/dag.ts'
import { DIRECTORY_TYPE, isDirectory } from '../../shared/cas/directory.ts'
import type { BlockExchange } from '../net/block-exchange/index.ts'
import { gatewaySource, peerSource } from '../fetch/sources.ts'
import { retrieve, type Attempt, type ContentSource, type Retrieval } from '../fetch/retrieval.ts'
import type { SourceRecords } from '../fetch/source-records.ts'
import type { FetchProgress } from '../fetch/fetch-dag.ts'
import { describeError } from './describe-error.ts'
import type { Library } from './library.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

export interface ContentEvents {
  /** A fetched file joined the library. */
  stored: [cid: string]
}

export interface WantedFile {
  cid: string
  name: string
  type: string
  size: number
}

/** A peer that holds a file: a connection, or how to open one. */
export interface Holder {
  id: string
  label: string
  connect: (signal: AbortSignal) => Promise<Connection>
}

export interface GetOptions {
  /** Peers that hold it, when known: raced for the root, and a large file fetched from them together. */
  holders?: Holder[]
  /**
   * Public content may also be asked of the relay's gateway and the gateways
   * in settings. Private content is asked of its holder only.
   */
  public: boolean
  maxBytes?: number
  signal?: AbortSignal
  onProgress?: (progress: FetchProgress) => void
  onAttempt?: (attempt: Attempt) => void
}

/**
 * The content service: "give me this file", from wherever it can be had,
 * verified, and kept in the library. The library's transfers and the spaces
 * both fetch through it; nothing above it knows where bytes come from.
 */
export class ContentService {
  readonly #blockStore: BlockStore
  readonly #library: Library
  readonly #blocks: BlockExchange
  readonly #records: SourceRecords
  readonly #gateways: () => string[]
  readonly #relay: string
  readonly #gatewaySource: typeof gatewaySource
  readonly #peerSource: typeof peerSource
  readonly #events = new Emitter<ContentEvents>()

  constructor(init: {
    blockStore: BlockStore
    library: Library
    blocks: BlockExchange
    records: SourceRecords
    /** Asked in their order for public content. */
    gateways: () => string[]
    /** The relay's own gateway among them. */
    relay: string
    /** How a gateway becomes a source (Helia in the app; a twin in unit tests). */
    gatewaySource?: typeof gatewaySource
    /** How a peer becomes a source (the blocks protocol in the app). */
    peerSource?: typeof peerSource
  }) {
    this.#blockStore = init.blockStore
    this.#library = init.library
    this.#blocks = init.blocks
    this.#records = init.records
    this.#gateways = init.gateways
    this.#relay = init.relay
    this.#gatewaySource = init.gatewaySource ?? gatewaySource
    this.#peerSource = init.peerSource ?? peerSource
  }

  get records(): SourceRecords {
    return this.#records
  }

  on<K extends keyof ContentEvents>(name: K, listener: (...args: ContentEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /** Bytes of a file's content already kept here, as a fetch cut short left them. */
  async heldBytes(cid: string): Promise<number> {
    return await heldContentBytes(this.#blockStore, parseContentId(cid))
  }

  async get(file: WantedFile, options: GetOptions): Promise<Retrieval> {
    const tiers: ContentSource[][] = []
    const holders = options.holders ?? []
    if (holders.length > 0) tiers.push(holders.map((holder) => this.#peerSource({ ...holder, blocks: this.#blocks })))
    // one gateway at a time, in the order of the settings: the list is a preference
    if (options.public)
      for (const url of this.#gateways())
        tiers.push([this.#gatewaySource(url, url === this.#relay ? 'relay' : 'gateway', this.#blockStore)])
    const result = await retrieve(parseContentId(file.cid), tiers, this.#blockStore, this.#records, {
      describe: describeError,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      ...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
      ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
      ...(options.onAttempt === undefined ? {} : { onAttempt: options.onAttempt }),
    })
    // a file already in the library keeps its record (its name, privacy and pins)
    if ((await this.#library.find(file.cid)) === undefined) {
      // a directory (as `ipfs add -r` makes) is kept as one, and opens as a listing
      const directory = await isDirectory(this.#blockStore, parseContentId(file.cid))
      // the size the verified root declares (or, for a directory, what its files hold), not the one the link claims
      const size = directory ? result.progress.bytes : result.progress.total
      await this.#library.addReceived({
        cid: file.cid,
        name: file.name,
        type: directory ? DIRECTORY_TYPE : file.type,
        size,
        addedAt: Date.now(),
      })
      this.#events.emit('stored', file.cid)
    }
    return result
  }
}
