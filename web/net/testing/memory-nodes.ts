import { createLibp2p, type Libp2p, type ServiceFactoryMap } from 'libp2p'
import { memory } from '@libp2p/memory'
import { noise } from '@libp2p/noise'
import { yamux } from '@libp2p/yamux'
import { identify } from '@libp2p/identify'
import type { ServiceMap } from '@libp2p/interface'
import type { BlockStore } from '../../../shared/cas/blocks.ts'
import { blockExchange, type BlockExchange } from '../block-exchange/index.ts'
import { peerAuth, type PeerAuth } from '../auth/index.ts'
import { generateIdentity, type Identity } from '../../../shared/identity/did-key.ts'

let counter = 0

/** A real libp2p node on the in-process memory transport, with the given services (and identify). */
export async function createMemoryNode<T extends ServiceMap>(
  services: ServiceFactoryMap<T> = {} as ServiceFactoryMap<T>,
): Promise<Libp2p<T>> {
  return await createLibp2p<T>({
    addresses: { listen: [`/memory/node-${Date.now().toString(36)}-${counter++}`] },
    transports: [memory()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    services: { identify: identify(), ...services },
  })
}

export type BlockNode = Libp2p<{ peerAuth: PeerAuth; blocks: BlockExchange }>

/** A peer running our authentication and blocks protocols. */
export async function createMemoryBlockNode(
  blockStore: BlockStore,
  identity: Identity = generateIdentity(),
  authTimeoutMs = 2_000,
): Promise<BlockNode> {
  return await createMemoryNode({
    peerAuth: peerAuth({ identity: () => identity, displayName: () => '', timeoutMs: authTimeoutMs }),
    blocks: blockExchange({ blockStore }),
  })
}

/** A node that speaks none of our protocols by itself: the stand-in for an attacker. */
export async function createBareMemoryNode(): Promise<Libp2p> {
  return await createMemoryNode()
}
