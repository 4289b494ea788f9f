import type { NetworkStatus, PeerStatus } from '../net/network.ts'

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
  return { label: status.relay.state === 'none' ? 'No relay' : 'Relay lost', tone: 'bad' }
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
    case 'disconnected':
      return {
        relay: { label: 'Disconnected', tone: 'bad', detail: `${relay.lastError ?? 'The relay is gone.'}${retry}` },
        reach: {
          label: 'Not reachable until the relay is back. People with a direct link to this browser still reach it.',
          tone: 'bad',
          address: undefined,
        },
      }
    case 'connected':
      if (status.shareAddressLive && status.shareAddress !== undefined)
        return {
          relay: { label: 'Connected', tone: 'ok', detail: undefined },
          reach: { label: 'Reachable through the relay.', tone: 'ok', address: status.shareAddress },
        }
      return {
        relay: { label: 'Connected', tone: 'ok', detail: undefined },
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
