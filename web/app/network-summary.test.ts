import { describe, expect, it } from 'vitest'
import type { NetworkStatus, PeerStatus } from '../net/network.ts'
import { describePeerPath, nameOfPeer, peerHealth, peerPath, relayName, summarizeNetwork } from './network-summary.ts'
import type { SourceRecord } from '../fetch/source-records.ts'
import { relayFailure } from '../net/relay-link.ts'

const ADDRESS = '/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWRelay/p2p-circuit/webrtc/p2p/12D3KooWMe'

function status(patch: Omit<Partial<NetworkStatus>, 'relay'> & { relay?: Partial<NetworkStatus['relay']> }): NetworkStatus {
  return {
    peerId: '12D3KooWMe',
    relays: [],
    failures: [],
    sent: { direct: 0, relayed: 0 },
    shareAddress: undefined,
    shareAddressLive: false,
    reservation: 'none',
    peers: [],
    met: [],
    offline: false,
    ...patch,
    relay: { state: 'connected', address: '/ip4/127.0.0.1/tcp/8787/ws', lastError: undefined, retryAt: undefined, ...patch.relay },
  }
}

/** A connected peer with one link of this path. */
function peerOn(path: 'direct-webrtc' | 'relayed', peerId: string, did: string | undefined, name: string | undefined): PeerStatus {
  return {
    peerId,
    did,
    name,
    direct: undefined,
    links: [{ path, remoteAddr: '', openedAt: 0, relay: undefined, rtt: undefined }],
    bytes: { in: 0, out: 0 },
  }
}

describe('the network as a person reads it', () => {
  it('never says connected beside gone: after the relay came back but before the reservation, it says it is asking', () => {
    // the address from before the restart is still known, but no longer live
    const s = summarizeNetwork(status({ shareAddress: ADDRESS, shareAddressLive: false, reservation: 'reserving' }))
    expect(s.relay).toMatchObject({ label: 'Connected', tone: 'ok' })
    expect(s.reach).toEqual({ label: 'Not yet: asking the relay for an address.', tone: 'warn', address: undefined })
  })

  it('shows the address only while it is live', () => {
    expect(summarizeNetwork(status({ shareAddress: ADDRESS, shareAddressLive: true, reservation: 'held' })).reach).toEqual({
      label: 'Reachable through the relay.',
      tone: 'ok',
      address: ADDRESS,
    })
    const gone = summarizeNetwork(
      status({ shareAddress: ADDRESS, relay: { state: 'disconnected', lastError: 'The connection to the relay closed.', retryAt: 4_000 } }),
      1_000,
    )
    expect(gone.relay).toEqual({ label: 'Disconnected', tone: 'bad', detail: 'The connection to the relay closed. Trying again in 3 s.' })
    expect(gone.reach.address).toBeUndefined()
  })

  it('says why a browser holds no address when the relay refuses one', () => {
    const s = summarizeNetwork(status({ reservation: 'refused', relay: { retryAt: 8_000 } }), 0)
    expect(s.reach.label).toBe(
      'The relay did not give this browser an address: it may be full, or hold as many as it allows for your network. Trying again in 8 s.',
    )
    expect(s.reach.tone).toBe('bad')
  })

  it('speaks in sentences for every state, offline included', () => {
    const states: NetworkStatus[] = [
      status({ offline: true }),
      status({ relay: { state: 'none', lastError: 'No relay could be reached.' } }),
      status({ relay: { state: 'connecting' } }),
      status({ relay: { state: 'disconnected' } }),
    ]
    for (const s of states.map((x) => summarizeNetwork(x))) {
      expect(s.reach.label).toMatch(/^[A-Z].*\.$/)
      expect(`${s.relay.detail ?? ''}`).not.toContain('[object')
    }
  })

  it('words a relay failure as a sentence, a bare Event (what a failed WebSocket rejects with) included', () => {
    expect(relayFailure(new Event('error'))).toBe('The relay could not be reached: it may be stopped, or the network is down.')
    expect(relayFailure(new DOMException('signal timed out', 'TimeoutError'))).toBe('The relay did not answer within 10 seconds.')
  })

  it('gives one path per peer and finds names by peer ID', () => {
    const peer = {
      peerId: 'p1',
      did: 'did:key:z6Mk1',
      name: undefined,
      direct: undefined,
      links: [
        { path: 'relayed' as const, remoteAddr: 'a', openedAt: 0, relay: undefined, rtt: undefined },
        { path: 'direct-webrtc' as const, remoteAddr: 'b', openedAt: 0, relay: undefined, rtt: undefined },
      ],
      bytes: { in: 0, out: 0 },
    }
    expect(peerPath(peer)).toBe('direct')
    expect(peerPath({ ...peer, links: [peer.links[0] as (typeof peer.links)[0]] })).toBe('relayed')
    const s = status({
      peers: [peer],
      met: [{ did: 'did:key:z6Mk1', name: 'Ann', peerIds: ['p1'], lastSeen: 0, status: 'authenticated' }],
    })
    expect(nameOfPeer(s, 'p1')).toBe('Ann')
    expect(nameOfPeer(s, 'p2')).toBeUndefined()
    // no name given: the DID, short
    const unnamed = status({ peers: [{ ...peer, did: 'did:key:z6MkvCabcdefghW1NQ7U' }] })
    expect(nameOfPeer(unnamed, 'p1')).toBe('z6MkvC…W1NQ7U')
  })

  it('says in one header line what matters most: offline, reachable with how many peers, or the relay lost and what stays', () => {
    const ann = peerOn('direct-webrtc', 'p1', 'did:key:z6MkAnn', 'Ann')
    const bob = peerOn('relayed', 'p2', 'did:key:z6MkBob', 'Bob')
    const stranger = peerOn('relayed', 'p3', undefined, undefined)
    const headline = (patch: Parameters<typeof status>[0]) => summarizeNetwork(status(patch), 0).headline
    expect(headline({ offline: true, peers: [ann] })).toEqual({ label: 'Working offline', tone: 'warn' })
    expect(headline({ shareAddress: ADDRESS, shareAddressLive: true, peers: [ann, bob, stranger] })).toEqual({
      label: 'Online · 2 peers',
      tone: 'ok',
    })
    expect(headline({ shareAddress: ADDRESS, shareAddressLive: true, peers: [ann] })).toEqual({ label: 'Online · 1 peer', tone: 'ok' })
    expect(headline({ reservation: 'reserving', peers: [] })).toEqual({ label: 'Online · not reachable yet · 0 peers', tone: 'warn' })
    expect(headline({ relay: { state: 'connecting' } })).toEqual({ label: 'Connecting…', tone: 'warn' })
    expect(headline({ relay: { state: 'disconnected' }, peers: [ann, bob] })).toEqual({
      label: 'Relay lost · 1 direct link stays',
      tone: 'warn',
    })
    expect(headline({ relay: { state: 'disconnected' }, peers: [bob] })).toEqual({ label: 'Offline: relay unreachable', tone: 'bad' })
    expect(headline({ relay: { state: 'none' } })).toEqual({ label: 'Offline: no relay', tone: 'bad' })
  })

  it('names each relay by host and port, and says which relay carries a peer and why there is no direct link', () => {
    const R = '/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWRelay'
    expect(relayName(R)).toBe('127.0.0.1:8787')
    expect(relayName('/dns4/relay.example.org/tcp/443/tls/ws/p2p/12D3KooWRelay')).toBe('relay.example.org:443')
    expect(relayName('not a multiaddr')).toBe('not a multiaddr')
    const relay = {
      address: R,
      peerId: '12D3KooWRelay',
      origin: 'served' as const,
      state: 'connected' as const,
      reservation: 'held' as const,
      lastError: undefined,
      retryAt: undefined,
    }
    const peer = {
      peerId: 'p1',
      did: 'did:key:z6MkAnn',
      name: 'Ann',
      links: [{ path: 'relayed' as const, remoteAddr: '', openedAt: 0, relay: '12D3KooWRelay', rtt: 40 }],
      direct: { state: 'failed' as const, why: 'ICE checks timed out after 10 s', retryAt: 20_000, attempts: 1 },
      bytes: { in: 0, out: 0 },
    }
    const s = status({
      relays: [relay, { ...relay, address: R.replace('8787', '8788'), peerId: 'other' }],
      shareAddress: ADDRESS,
      shareAddressLive: true,
    })
    expect(describePeerPath(s, peer, 1_000)).toEqual({
      label: 'through relay 127.0.0.1:8787',
      why: 'Direct link failed: ICE checks timed out after 10 s; retrying in 19 s; using relay 127.0.0.1:8787.',
    })
    expect(describePeerPath(s, { ...peer, direct: { ...peer.direct, state: 'trying', why: undefined } }).why).toMatch(
      /^Setting up a direct link/,
    )
    expect(describePeerPath(s, { ...peer, links: [{ ...peer.links[0]!, path: 'direct-webrtc', relay: undefined }] })).toEqual({
      label: 'direct',
      why: undefined,
    })
    // two relays hold this browser's address: it says so
    expect(summarizeNetwork(s).reach.label).toBe('Reachable through 2 relays.')
    expect(summarizeNetwork(s).relay.label).toBe('Connected (2 relays)')
  })

  describe("a connected peer's health", () => {
    const MIN = 60_000
    const connected = (openedAt: number, rtt: number | undefined): PeerStatus => ({
      ...peerOn('direct-webrtc', '12D3KooWAnn', 'did:key:ann', 'Ann'),
      links: [{ path: 'direct-webrtc', remoteAddr: '', openedAt, relay: undefined, rtt }],
    })
    const record = (patch: Partial<SourceRecord>): SourceRecord => ({
      id: 'peer:12D3KooWAnn',
      label: 'Ann',
      kind: 'peer',
      successes: 0,
      failures: 0,
      badBytes: 0,
      medianBytesPerSecond: undefined,
      medianFirstBlockMs: undefined,
      lastError: undefined,
      lastFailureAt: undefined,
      health: 0,
      ...patch,
    })

    it('is 0.35 for a peer just connected and never measured: unknown terms count half, uptime nothing yet', () => {
      expect(peerHealth(connected(1_000, undefined), undefined, 1_000)).toBeCloseTo(0.4 * 0.5 + 0.3 * 0.5 + 0.3 * 0)
    })

    it('takes latency from the heartbeat until the peer delivered, and uptime from connected time, full at ten minutes', () => {
      expect(peerHealth(connected(0, 50), undefined, 10 * MIN)).toBeCloseTo(0.4 * 0.5 + 0.3 + 0.3)
      expect(peerHealth(connected(0, 2_000), undefined, 20 * MIN)).toBeCloseTo(0.4 * 0.5 + 0 + 0.3)
      // its median first block, once known, is the latency term, whatever the round trip
      expect(peerHealth(connected(0, 10), record({ successes: 8, medianFirstBlockMs: 2_000 }), 10 * MIN)).toBeCloseTo(
        0.4 * (9 / 10) + 0 + 0.3,
      )
    })

    it('counts uptime from the last failure when it came after the connection, and scores a peer that sent bad bytes 0 for reliability', () => {
      const failedAMinuteAgo = record({ successes: 3, failures: 1, lastError: 'x', lastFailureAt: 19 * MIN })
      expect(peerHealth(connected(0, 50), failedAMinuteAgo, 20 * MIN)).toBeCloseTo(0.4 * (4 / 6) + 0.3 + 0.3 * 0.1)
      const liar = record({ successes: 9, badBytes: 1, failures: 1, lastFailureAt: 0 })
      expect(peerHealth(connected(0, 50), liar, 10 * MIN)).toBeCloseTo(0 + 0.3 + 0.3)
    })
  })
})
