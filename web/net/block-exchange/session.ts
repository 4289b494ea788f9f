import type { Stream } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import { BlockNotFoundError } from '../../../shared/cas/errors.ts'
import { encodeRequest } from '../../../shared/protocol/block-messages.ts'
import { decodeResponseFrame } from '../../../shared/protocol/block-frame.ts'
import { readFrameLists, writeFrame } from '../../../shared/protocol/framing.ts'
import { RemoteError, StreamEndedError, UnexpectedBlockError } from '../../../shared/protocol/errors.ts'
import { BLOCK_REQUEST_TIMEOUT_MS } from '../../../shared/protocol/limits.ts'
import { asError } from '../../../shared/errors.ts'
import type { Events } from '../../../shared/events/emitter.ts'

interface Pending {
  cid: CID
  resolve: (bytes: Uint8Array) => void
  reject: (err: Error) => void
}

/** Pipelined `want` requests on one outbound blocks stream. */
export interface BlockSession {
  /**
   * The peer's bytes for `cid`, unverified: the caller stores them through a
   * verifying BlockStore. Rejects with BlockNotFoundError for `missing`.
   */
  get(cid: CID, options?: { signal?: AbortSignal }): Promise<Uint8Array>
  close(): Promise<void>
  /** Set when the session keeps each block in the caller's verifying store itself before it returns it. */
  readonly stores?: true
  /** A session that brings blocks unasked (a CAR stream) says so as it keeps each one in the store. */
  readonly events?: Events<BlockSessionEvents>
  /** True for a block the session will not bring while it streams a part of the DAG: asked of it, it would only wait. */
  declines?(cid: CID): boolean
}

export interface BlockSessionEvents {
  /** A block checked and kept in the store, asked for or not. */
  kept: [cid: CID, bytes: Uint8Array]
  /** The stream stopped: from now on the session takes any block (block by block). */
  ended: []
}

export class StreamBlockSession implements BlockSession {
  readonly #stream: Stream
  readonly #pending: Pending[] = []
  #failure: Error | undefined

  constructor(stream: Stream, timeoutMs = BLOCK_REQUEST_TIMEOUT_MS) {
    this.#stream = stream
    stream.inactivityTimeout = timeoutMs
    void this.#readLoop()
  }

  async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
    if (this.#failure !== undefined) throw this.#failure
    options.signal?.throwIfAborted()
    const answer = new Promise<Uint8Array>((resolve, reject) => {
      this.#pending.push({ cid, resolve, reject })
    })
    await writeFrame(this.#stream, encodeRequest({ type: 'want', cid }), options)
    return await answer
  }

  /**
   * Ends the session. With requests still unanswered (another source brought
   * their blocks first, say), the stream is reset instead of closed in order:
   * the peer stops sending blocks nobody is waiting for, and the requests fail.
   */
  async close(): Promise<void> {
    if (this.#stream.status !== 'open') return
    if (this.#pending.length === 0) return await this.#stream.close()
    const closed = new StreamEndedError('closed here with requests unanswered')
    this.#fail(closed)
    this.#stream.abort(closed)
  }

  async #readLoop(): Promise<void> {
    try {
      for await (const frame of readFrameLists(this.#stream)) {
        const response = decodeResponseFrame(frame)
        if (response.type === 'error') throw new RemoteError(response.reason)
        const head = this.#pending.shift()
        if (head === undefined) throw new UnexpectedBlockError('nothing', response.cid.toString())
        const got = response.cid.toString()
        if (got !== head.cid.toString()) {
          const err = new UnexpectedBlockError(head.cid.toString(), got)
          head.reject(err)
          throw err
        }
        if (response.type === 'block') head.resolve(response.data)
        else head.reject(new BlockNotFoundError(head.cid.toString()))
      }
      this.#fail(new StreamEndedError('closed by the peer'))
    } catch (err) {
      this.#fail(hasStreamTimeout(err) ? new StreamEndedError('no answer in time', { cause: err }) : asError(err))
      this.#stream.abort(asError(err))
    }
  }

  #fail(err: Error): void {
    this.#failure ??= err
    for (const p of this.#pending.splice(0)) p.reject(err)
  }
}

function hasStreamTimeout(err: unknown): boolean {
  return err instanceof Error && /timeout|timed out/i.test(err.name + err.message)
}
