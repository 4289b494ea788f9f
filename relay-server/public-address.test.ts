import { describe, expect, it } from 'vitest'
import { relayAddressFor } from './public-address.ts'

const ID = '12D3KooWExample'

describe('relayAddressFor', () => {
  it('maps the Host a browser used to the multiaddr it should dial', () => {
    expect(relayAddressFor('127.0.0.1:8787', false, ID)).toBe(`/ip4/127.0.0.1/tcp/8787/ws/p2p/${ID}`)
    expect(relayAddressFor('localhost:8787', false, ID)).toBe(`/dns/localhost/tcp/8787/ws/p2p/${ID}`)
    expect(relayAddressFor('[::1]:9000', false, ID)).toBe(`/ip6/::1/tcp/9000/ws/p2p/${ID}`)
    expect(relayAddressFor('relay.example.org', true, ID)).toBe(`/dns/relay.example.org/tcp/443/tls/ws/p2p/${ID}`)
  })

  it('refuses Host headers that could smuggle multiaddr parts', () => {
    for (const bad of ['evil/p2p/x', 'a b', '1.2.3.4:99999', '', 'host:port']) {
      expect(relayAddressFor(bad, false, ID)).toBeUndefined()
    }
  })
})
