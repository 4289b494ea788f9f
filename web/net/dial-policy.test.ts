import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { createConnectionGater } from './dial-policy.ts'

const ID = '12D3KooWDwpvLKg3WjtpesWnDjMaSQerdkaCXSbqSWQsH5BSFhaz'
const deny = async (relay: string | undefined, target: string) =>
  await createConnectionGater(relay === undefined ? undefined : multiaddr(relay)).denyDialMultiaddr?.(multiaddr(target))

describe('browser dial policy', () => {
  const loopbackRelay = `/ip4/127.0.0.1/tcp/8787/ws/p2p/${ID}`
  const publicRelay = `/dns/relay.example.org/tcp/443/tls/ws/p2p/${ID}`

  it('allows loopback ws:// when the relay itself is on loopback', async () => {
    expect(await deny(loopbackRelay, loopbackRelay)).toBe(false)
    expect(await deny(loopbackRelay, `${loopbackRelay}/p2p-circuit/webrtc/p2p/${ID}`)).toBe(false)
    expect(await deny(`/dns/localhost/tcp/8787/ws/p2p/${ID}`, `/dns/localhost/tcp/8787/ws/p2p/${ID}`)).toBe(false)
  })

  it('refuses loopback and private addresses when the relay is public', async () => {
    expect(await deny(publicRelay, loopbackRelay)).toBe(true)
    expect(await deny(publicRelay, `/ip4/192.168.1.20/tcp/443/tls/ws/p2p/${ID}`)).toBe(true)
    expect(await deny(undefined, loopbackRelay)).toBe(true)
  })

  it('refuses plain ws:// to public hosts and allows wss://', async () => {
    expect(await deny(loopbackRelay, `/ip4/8.8.8.8/tcp/80/ws/p2p/${ID}`)).toBe(true)
    expect(await deny(publicRelay, publicRelay)).toBe(false)
  })
})
