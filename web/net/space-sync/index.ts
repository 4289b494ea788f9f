import * as cbor from '@ipld/dag-cbor'
import type { ComponentLogger, Connection, Startable, Stream } from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { readFrames, writeFrame } from '../../../shared/protocol/framing.ts'
import { MalformedMessageError } from '../../../shared/protocol/errors.ts'
import { SYNC_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import type { PeerAuth } from '../auth/index.ts'
import type { SpaceReplica } from '../../sync/space-replica.ts'

const MAX_SPACE_ID_CHARS = 128
const MAX_SYNC_FRAME_BYTES = 4 * 1024 * 1024

export interface SpaceSyncComponents {
  registrar: Registrar
  logger: ComponentLogger
  peerAuth: PeerAuth
}

export interface SpaceSyncInit {
  /** The replica of a space this browser holds, or undefined. */
  space: (spaceId: string) => SpaceReplica | undefined
}

export interface SpaceSync {
  /** Opens a sync stream for one space on an authenticated connection. */
  join(connection: Connection, spaceId: string, options?: { signal?: AbortSignal }): Promise<void>
}

/**
 * `/cas-disot/sync/1.0.0`: the opener's first frame names the space
 * (`{"space": id}`); after it, every frame is a signed replica frame. A peer
 * the space does not admit gets its stream reset, as for a space that does not
 * exist.
 */
class DefaultSpaceSync implements SpaceSync, Startable {
  readonly #c: SpaceSyncComponents
  readonly #init: SpaceSyncInit

  constructor(components: SpaceSyncComponents, init: SpaceSyncInit) {
    this.#c = components
    this.#init = init
  }

  async start(): Promise<void> {
    await this.#c.registrar.handle(
      SYNC_PROTOCOL,
      this.#c.peerAuth.guard(async (stream, connection) => {
        const frames = readFrames(stream, MAX_SYNC_FRAME_BYTES)
        const first = await frames.next()
        const spaceId = first.done === true ? undefined : parseHeader(first.value)
        await this.#run(stream, connection, spaceId, frames)
      }),
      { maxInboundStreams: 64 },
    )
  }

  async stop(): Promise<void> {
    await this.#c.registrar.unhandle(SYNC_PROTOCOL)
  }

  async join(connection: Connection, spaceId: string, options: { signal?: AbortSignal } = {}): Promise<void> {
    await this.#c.peerAuth.authenticated(connection, options)
    const stream = await connection.newStream(SYNC_PROTOCOL, options)
    await writeFrame(stream, cbor.encode({ space: spaceId }), options)
    void this.#run(stream, connection, spaceId, readFrames(stream, MAX_SYNC_FRAME_BYTES))
  }

  async #run(stream: Stream, connection: Connection, spaceId: string | undefined, frames: AsyncGenerator<Uint8Array>): Promise<void> {
    const did = this.#c.peerAuth.didOf(connection)
    const replica = spaceId === undefined ? undefined : this.#init.space(spaceId)
    if (did === undefined || replica === undefined || !replica.admits(did)) {
      stream.abort(new MalformedMessageError('no such space'))
      return
    }
    const peer = `${connection.id}/${stream.id}`
    replica.connect(peer, did, { send: (frame) => void writeFrame(stream, frame).catch(() => stream.abort(new Error('send failed'))) })
    try {
      for await (const frame of frames) replica.receive(peer, frame)
    } catch {
      // a broken stream ends this peer's sync; the replica is untouched by it
    } finally {
      replica.disconnect(peer)
    }
  }
}

function parseHeader(bytes: Uint8Array): string | undefined {
  try {
    const header = cbor.decode<Record<string, unknown>>(bytes)
    if (Object.keys(header).length !== 1 || typeof header.space !== 'string' || header.space.length > MAX_SPACE_ID_CHARS) return undefined
    return header.space
  } catch {
    return undefined
  }
}

export function spaceSync(init: SpaceSyncInit): (components: SpaceSyncComponents) => SpaceSync {
  return (components) => new DefaultSpaceSync(components, init)
}
