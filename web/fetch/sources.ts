import type { Connection } from '@libp2p/interface'
import type { CID } from 'multiformats/cid'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import type { BlockExchange } from '../net/block-exchange/index.ts'
import { openGatewaySession } from './gateway-session.ts'
import { CarStreamSession } from './car-stream-session.ts'
import type { ContentSource } from './retrieval.ts'

/** A peer as a source: its connection is opened (or found) when it is first asked. */
export function peerSource(init: {
  id: string
  label: string
  blocks: BlockExchange
  connect: (signal: AbortSignal) => Promise<Connection>
}): ContentSource {
  return {
    id: `peer:${init.id}`,
    label: init.label,
    kind: 'peer',
    open: async (_root: CID, signal: AbortSignal) => await init.blocks.openSession(await init.connect(signal)),
  }
}

/** A trustless gateway as a source: the DAG (or its end, when it helps another source) as one CAR stream, and through Helia block by block when that fails; the relay's own is kind `relay`. */
export function gatewaySource(url: string, kind: 'relay' | 'gateway', store: BlockStore): ContentSource {
  return {
    id: `${kind}:${url}`,
    label: kind === 'relay' ? "the relay's gateway" : `the gateway ${new URL(url).host}`,
    kind,
    open: (root: CID, _signal: AbortSignal, options: { fromByte?: number } = {}) =>
      Promise.resolve(new CarStreamSession(url, root, store, async () => await openGatewaySession(url, store), options)),
  }
}
