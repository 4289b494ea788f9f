import { multiaddr } from '@multiformats/multiaddr'
import type { NetworkStatus, PeerStatus } from '../net/network.ts'
import type { SourceRecord } from '../fetch/source-records.ts'
import { healthScore, latencyScore, reliabilityScore, uptimeScore } from '../../shared/protocol/health-score.ts'

export type Tone = 'ok' | 'warn' | 'bad'

/** The network as a person reads it: every line derived here, from one status, so no two lines disagree. */
export interface NetworkSummary {
  /** One line for the header, on every page. */
  headline: { label: string; tone: Tone }
  relay: { label: string; tone: Tone; detail: string | undefined }
  reach: { label: string; tone: Tone; address: string | undefined }
}

/** Seconds until `at`, for "trying again in N s"; at least 1. */
const secondsUntil = (at: number, now: number): number => Math.max(1, Math.ceil((at - now) / 1000))

export function summarizeNetwork(status: NetworkStatus, now = Date.now()): NetworkSummary {
  const parts = describeParts(status, now)
  return { headline: headline(status, parts), ...parts }
}

/** The header's line: the state of the relay and this browser's reach, and the peers met directly. */
function headline(status: NetworkStatus, parts: Omit<NetworkSummary, 'headline'>): NetworkSummary['headline'] {
  const proven = status.peers.filter((p) => p.did !== undefined)
  const direct = proven.filter((p) => peerPath(p) === 'direct').length
  const peers = proven.length === 1 ? '1 peer' : `${proven.length} peers`
  if (status.offline) return { label: 'Working offline', tone: 'warn' }
  if (parts.reach.tone === 'ok') return { label: `Online · ${peers}`, tone: 'ok' }
  if (status.relay.state === 'connected') return { label: `Online · not reachable yet · ${peers}`, tone: 'warn' }
  if (status.relay.state === 'connecting') return { label: 'Connecting…', tone: 'warn' }
  // without the relay, direct links still carry everything between their two ends
  if (direct > 0) return { label: `Relay lost · ${direct} direct ${direct === 1 ? 'link stays' : 'links stay'}`, tone: 'warn' }
  // everything here still works; only reaching others waits for a relay
  return { label: status.relay.state === 'none' ? 'Offline: no relay' : 'Offline: relay unreachable', tone: 'bad' }
}

function describeParts(status: NetworkStatus, now: number): Omit<NetworkSummary, 'headline'> {
  const { relay, reservation } = status
  const retry = relay.retryAt === undefined ? '' : ` Trying again in ${secondsUntil(relay.retryAt, now)} s.`
  if (status.offline) {
    return {
      relay: { label: 'Off (working offline)', tone: 'warn', detail: undefined },
      reach: { label: 'Not reachable while working offline.', tone: 'warn', address: undefined },
    }
  }
  switch (relay.state) {
    case 'none':
      return {
        relay: { label: 'None', tone: 'bad', detail: relay.lastError },
        reach: { label: 'Not reachable: without a relay no one can find this browser.', tone: 'bad', address: undefined },
      }
    case 'connecting':
      return {
        relay: { label: 'Connecting…', tone: 'warn', detail: undefined },
        reach: { label: 'Not yet: waiting for the relay.', tone: 'warn', address: undefined },
      }
    case 'standby':
    case 'disconnected':
      return {
        relay: { label: 'Disconnected', tone: 'bad', detail: `${relay.lastError ?? 'The relay is gone.'}${retry}` },
        reach: {
          label: 'Not reachable until the relay is back. People with a direct link to this browser still reach it.',
          tone: 'bad',
          address: undefined,
        },
      }
    case 'connected': {
      const connected = status.relays.filter((r) => r.state === 'connected').length
      const holding = status.relays.filter((r) => r.reservation === 'held').length
      const label = connected > 1 ? `Connected (${connected} relays)` : 'Connected'
      if (status.shareAddressLive && status.shareAddress !== undefined)
        return {
          relay: { label, tone: 'ok', detail: undefined },
          reach: {
            label: holding > 1 ? `Reachable through ${holding} relays.` : 'Reachable through the relay.',
            tone: 'ok',
            address: status.shareAddress,
          },
        }
      return {
        relay: { label, tone: 'ok', detail: undefined },
        reach:
          reservation === 'refused'
            ? {
                label: `The relay did not give this browser an address: it may be full, or hold as many as it allows for your network.${retry}`,
                tone: 'bad',
                address: undefined,
              }
            : { label: 'Not yet: asking the relay for an address.', tone: 'warn', address: undefined },
      }
    }
  }
}

/** How a peer is reached now: one path, direct when any direct link is open. */
export function peerPath(peer: PeerStatus): 'direct' | 'relayed' {
  return peer.links.some((l) => l.path === 'direct-webrtc') ? 'direct' : 'relayed'
}

/** Who holds a peer ID, for a person: the name they gave, else their DID in short, else undefined. */
export function nameOfPeer(status: NetworkStatus, peerId: string): string | undefined {
  const live = status.peers.find((p) => p.peerId === peerId)
  const met = status.met.find((m) => m.peerIds.includes(peerId) || (live?.did !== undefined && m.did === live.did))
  const name = live?.name || met?.name
  if (name) return name
  const did = live?.did ?? met?.did
  return did === undefined ? undefined : shortDid(did)
}

function shortDid(did: string): string {
  const id = did.replace(/^did:key:/, '')
  return `${id.slice(0, 6)}…${id.slice(-6)}`
}

/** A relay as a person tells it apart: its host and port ("relay.example.org:443"). */
export function relayName(address: string): string {
  try {
    const parts = multiaddr(address).getComponents()
    const host = parts.find((c) => ['ip4', 'ip6', 'dns', 'dns4', 'dns6', 'dnsaddr'].includes(c.name))?.value
    const port = parts.find((c) => c.name === 'tcp')?.value
    return host === undefined ? address : `${host}${port === undefined ? '' : `:${port}`}`
  } catch {
    return address
  }
}

/**
 * The path to a peer in words, and why it is that one: "direct", or
 * "through relay host:port" with what became of the direct link.
 */
export function describePeerPath(status: NetworkStatus, peer: PeerStatus, now = Date.now()): { label: string; why: string | undefined } {
  if (peerPath(peer) === 'direct') return { label: 'direct', why: undefined }
  const relayId = peer.links.find((l) => l.path === 'relayed')?.relay
  const relay = status.relays.find((r) => r.peerId === relayId)
  const through = relay === undefined ? 'the relay' : `relay ${relayName(relay.address)}`
  const direct = peer.direct
  if (direct === undefined) return { label: `through ${through}`, why: undefined }
  if (direct.state === 'trying')
    return { label: `through ${through}`, why: 'Setting up a direct link; the relay carries everything meanwhile.' }
  if (direct.state === 'up') return { label: `through ${through}`, why: undefined }
  const retry = direct.retryAt === undefined ? '' : `; retrying in ${secondsUntil(direct.retryAt, now)} s`
  return { label: `through ${through}`, why: `Direct link failed: ${direct.why ?? 'no reason given'}${retry}; using ${through}.` }
}

/**
 * A connected peer's health (PROTOCOL.md, "Health score"), from its record as
 * a source when it has one: reliability from its deliveries, latency from its
 * median first block or else the heartbeat's round trip, uptime from the time
 * since it connected or last failed, whichever is later.
 */
export function peerHealth(peer: PeerStatus, record: SourceRecord | undefined, now = Date.now()): number {
  const rtt = peer.links.map((l) => l.rtt).find((r) => r !== undefined)
  const since = Math.max(Math.min(...peer.links.map((l) => l.openedAt)), record?.lastFailureAt ?? -Infinity)
  const availableFor = Number.isFinite(since) ? now - since : undefined
  return healthScore({
    reliability: reliabilityScore(record ?? { successes: 0, failures: 0, badBytes: 0 }),
    latency: latencyScore(record?.medianFirstBlockMs ?? rtt),
    uptime: uptimeScore(availableFor),
  })
}
