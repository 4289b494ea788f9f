import { describe, expect, it } from 'vitest'
import type { Connection } from '@libp2p/interface'
import { MemberDialer } from './member-dialer.ts'
import type { OpenSpace } from './open-space.ts'

/** Just what the dialer reads of a space: the addresses it carries and its record. */
const space = {
  addresses: new Map([['did:key:bob', '/bob-address']]),
  record: { id: 'space-1', owner: 'did:key:ann', ownerAddress: undefined },
} as unknown as OpenSpace

function dialer(outcomes: boolean[]) {
  const dialled: string[] = []
  const connected = new Set<string>()
  const d = new MemberDialer({
    connectionsTo: (did) => (connected.has(did) ? [{ id: did } as unknown as Connection] : []),
    connect: async (address) => {
      dialled.push(address)
      await new Promise((r) => setTimeout(r, 5))
      if (outcomes.shift() !== true) throw new Error('unreachable')
      connected.add('did:key:bob')
      return { id: 'c' } as unknown as Connection
    },
    join: async () => await Promise.resolve(),
  })
  return { d, dialled }
}

describe('member dialer', () => {
  it('dials a member once at a time, backs off after a failure, and tries at once after a reset', async () => {
    const { d, dialled } = dialer([false, true])
    await Promise.all([d.reach(space, 'did:key:bob'), d.reach(space, 'did:key:bob')])
    expect(dialled).toEqual(['/bob-address'])
    await d.reach(space, 'did:key:bob')
    expect(dialled).toHaveLength(1)
    d.reset()
    await d.reach(space, 'did:key:bob')
    expect(dialled).toHaveLength(2)
  })

  it('does not dial a member with no known address', async () => {
    const { d, dialled } = dialer([true])
    await d.reach(space, 'did:key:cy')
    expect(dialled).toEqual([])
  })
})
