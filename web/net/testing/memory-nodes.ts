import { createLibp2p, type Libp2p } from 'libp2p'
import { memory } from '@libp2p/memory'
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import type { BlockStore } from '../../../shared/cas/blocks.ts'
import { blockExchange, type BlockExchange } from '../block-exchange/index.ts'

export type BlockNode = Libp2p<{ blocks: BlockExchange }>

let counter = 0

/** A real libp2p node on the in-process memory transport, running our blocks protocol. */
export async function createMemoryBlockNode(blockStore: BlockStore): Promise<BlockNode> {
  return await createLibp2p({
    addresses: { listen: [`/memory/block-node-${Date.now().toString(36)}-${counter++}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), blocks: blockExchange({ blockStore }) },
  })
}
