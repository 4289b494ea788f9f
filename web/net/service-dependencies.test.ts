import { describe, expect, it } from 'vitest'
import { MemoryBlockStore } from '../store/block-stores.ts'
import { blockExchange } from './block-exchange/index.ts'
import { spaceSync } from './space-sync/index.ts'
import { trustExchange } from './trust-exchange/index.ts'
import { createMemoryNode } from './testing/memory-nodes.ts'

describe('our libp2p services declare what they need', () => {
  it('a node with a service that serves authenticated peers only, but no peer authentication, fails at start, naming it', async () => {
    // the types forbid this wiring already (`as never` overrides them): the node refuses it too, for plain JavaScript and casts
    const alone = [
      ['sync', createMemoryNode({ sync: spaceSync() as never })],
      [
        'trust',
        createMemoryNode({
          trust: trustExchange({
            present: async () => ({ vp: '', revocations: undefined }),
            bundle: () => ({ credentials: [], revocations: undefined }),
          }) as never,
        }),
      ],
      ['blocks', createMemoryNode({ blocks: blockExchange({ blockStore: new MemoryBlockStore() }) as never })],
    ] as const
    for (const [name, starting] of alone) await expect(starting, name).rejects.toThrow(/peer-auth|peerAuth/)
  })
})
