import * as cbor from '@ipld/dag-cbor'
import {
  serviceDependencies,
  type ComponentLogger,
  type Connection,
  type Logger,
  type PeerId,
  type Startable,
  type Stream,
} from '@libp2p/interface'
import type { Registrar } from '@libp2p/interface-internal'
import { readFrames, writeFrame } from '../../../shared/protocol/framing.ts'
import { MalformedMessageError } from '../../../shared/protocol/errors.ts'
import { SYNC_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import { InvitationRefusedError, isInvitationRefusal, type InvitationRefusal } from '../../../shared/spaces/errors.ts'
import { PEER_AUTH_CAPABILITY, type PeerAuth } from '../auth/index.ts'
import type { SpaceReplica } from '../../sync/space-replica.ts'
import { MAX_SYNC_FRAME_BYTES } from '../../../shared/protocol/limits.ts'
import { SyncFrameRefusedError } from '../../sync/sync-messages.ts'
import { logFailure } from '../../../shared/log.ts'
import type { PeerTraffic } from '../traffic.ts'

const MAX_SPACE_ID_CHARS = 128
const MAX_INVITATION_CHARS = 4096
/** Refused frames a peer may send (each closes its stream) before its connection is closed. */
const MAX_REFUSALS_PER_PEER = 5

export interface SpaceSyncComponents {
  peerId: PeerId
  registrar: Registrar
  logger: ComponentLogger
  peerAuth: PeerAuth
}

/** The spaces a node serves: set once they exist (they are built after the node). */
export interface SpaceSyncHost {
  /**
   * The replica a proven DID may sync, admitting it first when it brings a
   * valid invitation; otherwise why not. Unknown spaces and non-members get
   * the same `no-such-space`.
   */
  admit: (spaceId: string, did: string, invitation: string | undefined) => Promise<SpaceReplica | InvitationRefusal>
  /** This side's own replica of a space it opens a stream for. */
  space: (spaceId: string) => SpaceReplica | undefined
}

export interface SpaceSync {
  /**
   * Opens a sync stream for one space on an authenticated connection, with an
   * invitation when joining. Resolves once the other side has admitted us;
   * throws InvitationRefusedError when it has not.
   */
  join(connection: Connection, spaceId: string, options?: { invitation?: string; signal?: AbortSignal }): Promise<void>
  /** Serves these spaces; until a host is set, every space is unknown here. Returns the undoing. */
  host(spaces: SpaceSyncHost): () => void
  /** Frames sent since start, by the path they took. */
  sent(): { direct: number; relayed: number }
}

/**
 * `/cas-disot/sync/1.0.0`: the opener's first frame names the space (and may
 * carry an invitation); the answerer replies `{ok: true}` or `{refused:
 * reason}`. After that, every frame is a signed replica frame. A frame the
 * replica refuses closes the stream; a peer with too many refusals loses its
 * connection.
 */
export interface SpaceSyncInit {
  /** Concurrent streams per connection: one per space two peers share. */
  maxInboundStreams?: number
  /** Counts sync traffic per peer, when given. */
  traffic?: PeerTraffic
}

class DefaultSpaceSync implements SpaceSync, Startable {
  readonly [serviceDependencies] = [PEER_AUTH_CAPABILITY]
  readonly [Symbol.toStringTag] = '@cas-disot/space-sync'
  readonly #c: SpaceSyncComponents
  readonly #init: SpaceSyncInit
  readonly #log: Logger
  #host: SpaceSyncHost | undefined
  readonly #refusals = new Map<string, number>()
  readonly #sent = { direct: 0, relayed: 0 }
  /** The sync link kept for each connection and space. */
  readonly #links = new Map<string, Stream>()

  constructor(components: SpaceSyncComponents, init: SpaceSyncInit) {
    this.#c = components
    this.#init = init
    this.#log = components.logger.forComponent('cas-disot:space-sync')
  }

  sent(): { direct: number; relayed: number } {
    return { ...this.#sent }
  }

  host(spaces: SpaceSyncHost): () => void {
    this.#host = spaces
    return () => {
      if (this.#host === spaces) this.#host = undefined
    }
  }

  async start(): Promise<void> {
    await this.#c.registrar.handle(
      SYNC_PROTOCOL,
      this.#c.peerAuth.guard(async (stream, connection) => {
        this.#init.traffic?.track(stream, connection.remotePeer.toString())
        const frames = readFrames(stream, MAX_SYNC_FRAME_BYTES)
        const first = await frames.next()
        const header = first.done === true ? undefined : parseHeader(first.value)
        const did = this.#c.peerAuth.didOf(connection)
        const answer =
          header === undefined || did === undefined
            ? 'malformed'
            : ((await this.#host?.admit(header.space, did, header.invitation)) ?? 'no-such-space')
        if (typeof answer === 'string') {
          await writeFrame(stream, cbor.encode({ refused: answer })).catch(logFailure(this.#log, 'sending a refusal'))
          await stream
            .close()
            .catch(() =>
              stream.abort(
                answer === 'malformed' ? new MalformedMessageError('the space sync header') : new InvitationRefusedError(answer),
              ),
            )
          return
        }
        await writeFrame(stream, cbor.encode({ ok: true }))
        await this.#run(stream, connection, did as string, header?.space as string, answer, frames)
      }),
      { maxInboundStreams: this.#init.maxInboundStreams ?? 64, runOnLimitedConnection: true },
    )
  }

  async stop(): Promise<void> {
    await this.#c.registrar.unhandle(SYNC_PROTOCOL)
  }

  async join(connection: Connection, spaceId: string, options: { invitation?: string; signal?: AbortSignal } = {}): Promise<void> {
    const did = await this.#c.peerAuth.authenticated(connection, options)
    const replica = this.#host?.space(spaceId)
    if (replica === undefined) throw new InvitationRefusedError('no-such-space')
    const stream = await connection.newStream(SYNC_PROTOCOL, { ...options, runOnLimitedConnection: true })
    this.#init.traffic?.track(stream, connection.remotePeer.toString())
    await writeFrame(
      stream,
      cbor.encode({ space: spaceId, ...(options.invitation === undefined ? {} : { invite: options.invitation }) }),
      options,
    )
    const frames = readFrames(stream, MAX_SYNC_FRAME_BYTES)
    const reply = await frames.next()
    const refusal = reply.done === true ? 'no-such-space' : parseReply(reply.value)
    if (refusal !== undefined) {
      const refused = new InvitationRefusedError(refusal)
      stream.abort(refused)
      throw refused
    }
    void this.#run(stream, connection, did, spaceId, replica, frames)
  }

  async #run(
    stream: Stream,
    connection: Connection,
    did: string,
    spaceId: string,
    replica: SpaceReplica,
    frames: AsyncGenerator<Uint8Array>,
  ): Promise<void> {
    const key = `${connection.id} ${spaceId}`
    if (!this.#keepOne(key, stream, connection)) return
    const peer = `${connection.id}/${stream.id}`
    const path = connection.limits === undefined ? 'direct' : 'relayed'
    replica.connect(peer, did, {
      send: (frame) => {
        this.#sent[path]++
        void writeFrame(stream, frame).catch(() => stream.abort(new Error('send failed')))
      },
      close: () => endStream(stream, 'sync link ended'),
      via: connection.id,
      path,
    })
    try {
      for await (const frame of frames) {
        const result = await replica.receive(peer, frame)
        if (!result.ok) {
          stream.abort(new SyncFrameRefusedError(result.reason))
          this.#countRefusal(connection)
          return
        }
      }
    } catch (err) {
      // a broken stream ends this peer's sync; the replica is untouched by it
      this.#log('sync with %p ended: %e', connection.remotePeer, err)
    } finally {
      replica.disconnect(peer)
      if (this.#links.get(key) === stream) this.#links.delete(key)
      // the other side ended (or was refused): our side ends too, so its reading ends
      if (stream.writeStatus === 'writable') endStream(stream, 'sync link ended')
    }
  }

  /**
   * Both members may join a space over the same connection at once (each moves
   * to their new direct link in the same round), and every frame would then go
   * twice. One link per connection and space is kept: of two opened by both
   * sides, the one the smaller peer ID opened, so both sides close the same
   * stream; of two opened by one side, the newer (it opened it for a reason).
   * True when `stream` is kept.
   */
  #keepOne(key: string, stream: Stream, connection: Connection): boolean {
    const running = this.#links.get(key)
    if (running !== undefined && running.writeStatus === 'writable' && running.readStatus !== 'closed') {
      const kept = this.#c.peerId.toString() < connection.remotePeer.toString() ? 'outbound' : 'inbound'
      const dropped = running.direction === stream.direction || stream.direction === kept ? running : stream
      this.#log('a second sync link for %s with %p: closing the %s one', key, connection.remotePeer, dropped === stream ? 'new' : 'old')
      endStream(dropped, 'a second sync link for the space')
      if (dropped === stream) return false
    }
    this.#links.set(key, stream)
    return true
  }

  #countRefusal(connection: Connection): void {
    const key = connection.remotePeer.toString()
    const count = (this.#refusals.get(key) ?? 0) + 1
    this.#refusals.set(key, count)
    if (count >= MAX_REFUSALS_PER_PEER) void connection.close().catch(() => connection.abort(new Error('too many refused frames')))
  }
}

/** Closes a stream in order, or aborts it when that fails: it is never left open. */
function endStream(stream: Stream, why: string): void {
  void stream.close().catch(() => stream.abort(new Error(why)))
}

function parseHeader(bytes: Uint8Array): { space: string; invitation: string | undefined } | undefined {
  try {
    const header = cbor.decode<Record<string, unknown>>(bytes)
    const keys = Object.keys(header).filter((k) => k !== 'space' && k !== 'invite')
    if (keys.length > 0 || typeof header.space !== 'string' || header.space.length > MAX_SPACE_ID_CHARS) return undefined
    if (header.invite !== undefined && (typeof header.invite !== 'string' || header.invite.length > MAX_INVITATION_CHARS)) return undefined
    return { space: header.space, invitation: header.invite }
  } catch {
    return undefined
  }
}

/** Undefined when admitted; the reason otherwise (anything unreadable counts as not admitted). */
function parseReply(bytes: Uint8Array): InvitationRefusal | undefined {
  try {
    const reply = cbor.decode<Record<string, unknown>>(bytes)
    if (reply.ok === true && Object.keys(reply).length === 1) return undefined
    return isInvitationRefusal(reply.refused) ? reply.refused : 'no-such-space'
  } catch {
    return 'no-such-space'
  }
}

export function spaceSync(init: SpaceSyncInit = {}): (components: SpaceSyncComponents) => SpaceSync {
  return (components) => new DefaultSpaceSync(components, init)
}
