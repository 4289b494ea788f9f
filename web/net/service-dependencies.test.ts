import { describe, expect, it } from 'vitest'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { blockExchange } from './block-exchange/index.ts'
import { spaceSync } from './space-sync/index.ts'
import { trustExchange } from './trust-exchange/index.ts'
import { createMemoryNode } from './testing/memory-nodes.ts'

describe('our libp2p services declare what they need', () => {
  it('a node with a service that serves authenticated peers only, but no peer authentication, fails at start, naming it', async () => {
    const services = {
      sync: spaceSync(),
      trust: trustExchange({ bundle: () => ({ credentials: [] }) }),
      blocks: blockExchange({ blockStore: new MemoryBlockStore() }),
    }
    for (const [name, service] of Object.entries(services)) {
      await expect(createMemoryNode({ [name]: service }), name).rejects.toThrow(/peer-auth|peerAuth/)
    }
  })
})
