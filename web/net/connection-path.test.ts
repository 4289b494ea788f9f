import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { connectionPath } from './connection-path.ts'

const RELAY = '12D3KooWKE8RpxQ6WcQ8taiNkUFxu4hnyxhKEZi3Wf1FJUUui7YA'
const PEER = '12D3KooWJGAMoaWZRX6vXJmEpwGZXH7erB1hvxarWaTay245cu77'
const at = (address: string, limits?: { bytes: bigint }) => connectionPath({ remoteAddr: multiaddr(address), limits })

describe('the path of a connection', () => {
  it('a relay server is reached over WebSockets, secure or not', () => {
    expect(at(`/ip4/127.0.0.1/tcp/8787/ws/p2p/${RELAY}`)).toBe('relay-server')
    expect(at(`/dns4/relay.example/tcp/443/wss/p2p/${RELAY}`)).toBe('relay-server')
    expect(at(`/dns4/relay.example/tcp/443/tls/ws/p2p/${RELAY}`)).toBe('relay-server')
  })

  it('a peer through a relay is relayed, by its circuit address or by its limits', () => {
    expect(at(`/ip4/127.0.0.1/tcp/8787/ws/p2p/${RELAY}/p2p-circuit/p2p/${PEER}`)).toBe('relayed')
    expect(at(`/ip4/127.0.0.1/tcp/8787/ws/p2p/${RELAY}`, { bytes: 1n << 24n })).toBe('relayed')
  })

  it('a peer over WebRTC, or in memory in unit tests, is direct', () => {
    expect(at(`/ip4/127.0.0.1/tcp/8787/ws/p2p/${RELAY}/p2p-circuit/webrtc/p2p/${PEER}`)).toBe('direct-webrtc')
    expect(at(`/memory/node-1/p2p/${PEER}`)).toBe('direct-webrtc')
  })
})
