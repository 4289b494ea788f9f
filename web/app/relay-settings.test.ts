import { describe, expect, it } from 'vitest'
import { multiaddr } from '@multiformats/multiaddr'
import { configuredRelays, InvalidRelayError, parseRelayAddress, RelaySettings } from './relay-settings.ts'

const ID = '12D3KooWDwpvLKg3WjtpesWnDjMaSQerdkaCXSbqSWQsH5BSFhaz'
const WSS = `/dns4/relay.example.org/tcp/443/tls/ws/p2p/${ID}`
const WS = `/ip4/127.0.0.1/tcp/8787/ws/p2p/${ID}`

function settings(saved: string[] | undefined = undefined, found: string | null = WSS) {
  const kept: string[][] = []
  const asked: string[] = []
  const relays = new RelaySettings({
    saved,
    save: async (list) => void kept.push(list),
    lookup: async (url) => {
      asked.push(url)
      return await Promise.resolve(
        found === null ? { relay: undefined, error: 'No relay could be reached.' } : { relay: multiaddr(found), error: undefined },
      )
    },
  })
  return { relays, kept, asked }
}

describe('the relays a person adds', () => {
  it('takes a multiaddr as it is, and a web address by asking it for its libp2p address; keeps each once', async () => {
    const { relays, kept, asked } = settings()
    expect((await relays.add(` ${WS} `)).toString()).toBe(WS)
    expect((await relays.add('https://relay.example.org/some/page')).toString()).toBe(WSS)
    expect(asked).toEqual(['https://relay.example.org'])
    await relays.add(WS)
    expect(relays.list().map(String)).toEqual([WS, WSS])
    expect(kept.at(-1)).toEqual([WS, WSS])
    await relays.remove(WS)
    expect(relays.list().map(String)).toEqual([WSS])
  })

  it('refuses what is no relay, in words, and keeps nothing of it', async () => {
    const { relays, kept } = settings(undefined, null)
    await expect(relays.add('/ip4/127.0.0.1/tcp/8787/ws')).rejects.toThrow(/ends in \/p2p\//)
    await expect(relays.add(`/ip4/127.0.0.1/udp/1/quic-v1/p2p/${ID}`)).rejects.toThrow(InvalidRelayError)
    await expect(relays.add('relay.example.org')).rejects.toThrow(/web address \(https:\/\/…\) or its multiaddr/)
    await expect(relays.add('ftp://relay.example.org')).rejects.toThrow(/http or https/)
    await expect(relays.add('https://down.example.org')).rejects.toThrow(/No relay could be reached/)
    expect(kept).toEqual([])
    expect(relays.list()).toEqual([])
  })

  it('drops a saved entry that no longer parses; the build list stops the app on a malformed one', () => {
    expect(settings([WS, 'garbage']).relays.list().map(String)).toEqual([WS])
    expect(parseRelayAddress(WSS)?.toString()).toBe(WSS)
    expect(configuredRelays(` ${WS} , ${WSS},`).map(String)).toEqual([WS, WSS])
    expect(configuredRelays(undefined)).toEqual([])
    expect(() => configuredRelays(`${WS},/ip4/1.2.3.4/tcp/1`)).toThrow(InvalidRelayError)
  })
})
