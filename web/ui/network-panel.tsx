import { useEffect, useState } from 'react'
import { describePeerPath, nameOfPeer, peerHealth, peerPath, summarizeNetwork } from '../app/network-summary.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes, formatTime, shortId } from './format.ts'
import { TrustSelect } from './trust-select.tsx'
import { SourcesSection } from './sources-section.tsx'
import { RelaysSection } from './relays-section.tsx'

const LINK_LABEL = { 'direct-webrtc': 'direct WebRTC', relayed: 'relayed', 'relay-server': 'relay server' } as const

/** The current time, ticking every `everyMs` (each second for "trying again in N s"); still when undefined. */
function useNow(everyMs: number | undefined): number {
  const [now, setNow] = useState(() => Date.now())
  useEffect(() => {
    if (everyMs === undefined) return
    const tick = (): void => setNow(Date.now())
    const first = setTimeout(tick, 0)
    const timer = setInterval(tick, everyMs)
    return () => {
      clearTimeout(first)
      clearInterval(timer)
    }
  }, [everyMs])
  return now
}

export function NetworkPanel() {
  const app = useApp()
  const { network, sources } = useAppState()
  const peers = network.peers.filter((p) => p.links.some((l) => l.path !== 'relay-server'))
  const retrying = network.relay.retryAt !== undefined || network.peers.some((p) => p.direct?.retryAt !== undefined)
  // each second for the retry countdowns; else every 5 s for the peers' health (its uptime term)
  const now = useNow(retrying ? 1_000 : peers.length > 0 ? 5_000 : undefined)
  const summary = summarizeNetwork(network, now)
  return (
    <aside className="panel network" aria-labelledby="network-heading">
      <h2 id="network-heading">Network</h2>
      <label className="switch">
        <input type="checkbox" checked={network.offline} onChange={(e) => void app.setOffline(e.target.checked)} /> Work offline
      </label>
      {network.offline && (
        <p className="hint">Offline: no connections in or out. Everything you do is kept and merges when you go back online.</p>
      )}
      <dl>
        <dt>Relay</dt>
        <dd data-testid="relay-state" data-state={network.relay.state}>
          <span className={`badge ${summary.relay.tone}`}>{summary.relay.label}</span>
          {summary.relay.detail !== undefined && <small> {summary.relay.detail}</small>}
        </dd>
        <dt>Others reach this browser</dt>
        <dd data-testid="share-address" data-live={summary.reach.address !== undefined} data-reservation={network.reservation}>
          {summary.reach.label}
        </dd>
      </dl>
      <details className="tech">
        <summary>Details</summary>
        <dl>
          <dt>This browser</dt>
          <dd>
            <code className="wrap">{network.peerId}</code>
          </dd>
          <dt>Relay address</dt>
          <dd>{network.relay.address === undefined ? 'none' : <code className="wrap">{network.relay.address}</code>}</dd>
          <dt>Reachable at</dt>
          <dd>{summary.reach.address === undefined ? 'no live address' : <code className="wrap">{summary.reach.address}</code>}</dd>
          <dt>Sync messages sent</dt>
          <dd data-testid="sent-by-path">
            {network.sent.direct} over direct links, {network.sent.relayed} through a relay
          </dd>
          <dt>Connection failures</dt>
          <dd>
            {network.failures.length === 0 ? (
              'none'
            ) : (
              <ul aria-label="Connection failures by cause">
                {network.failures.map((f) => (
                  <li key={f.cause}>
                    {f.count} × {f.cause}
                  </li>
                ))}
              </ul>
            )}
          </dd>
        </dl>
      </details>
      <h3>Peers</h3>
      {peers.length === 0 ? (
        <p className="muted">No other browsers connected.</p>
      ) : (
        <ul aria-label="Connected peers">
          {peers.map((peer) => {
            const path = peerPath(peer)
            const words = describePeerPath(network, peer, now)
            const rtt = peer.links.map((l) => l.rtt).find((r) => r !== undefined)
            const since = Math.min(...peer.links.map((l) => l.openedAt))
            const health = peerHealth(
              peer,
              sources.find((s) => s.id === `peer:${peer.peerId}`),
              now,
            )
            const name =
              nameOfPeer(network, peer.peerId) ?? (peer.did === undefined ? undefined : shortId(peer.did.slice('did:key:'.length)))
            return (
              <li
                key={peer.peerId}
                data-testid="peer"
                data-peer-id={peer.peerId}
                data-path={path === 'direct' ? 'direct-webrtc' : 'relayed'}
              >
                {peer.did === undefined ? (
                  <span className="muted" data-testid="peer-did" data-did="">
                    Not yet authenticated
                  </span>
                ) : (
                  <span data-testid="peer-did" data-did={peer.did} title={peer.did}>
                    {name}
                  </span>
                )}{' '}
                <span className={path === 'direct' ? 'badge ok' : 'badge warn'} data-testid="peer-path">
                  {words.label}
                </span>{' '}
                <small className="muted">
                  {rtt === undefined ? '' : `round trip ${Math.round(rtt)} ms · `}connected since {formatTime(since)} ·{' '}
                  <span data-testid="peer-bytes" data-in={peer.bytes.in} data-out={peer.bytes.out}>
                    {formatBytes(peer.bytes.in)} in, {formatBytes(peer.bytes.out)} out
                  </span>{' '}
                  ·{' '}
                  <span data-testid="peer-health" data-health={health.toFixed(2)} title="0.4 · reliability + 0.3 · latency + 0.3 · uptime">
                    health {health.toFixed(2)}
                  </span>
                </small>{' '}
                {peer.did !== undefined && <TrustSelect did={peer.did} label={name ?? shortId(peer.did)} />}{' '}
                <button
                  type="button"
                  aria-label={`Disconnect ${name ?? shortId(peer.peerId)}`}
                  onClick={() => void app.disconnect(peer.peerId)}
                >
                  Disconnect
                </button>
                {words.why !== undefined && (
                  <p className="hint" data-testid="peer-why">
                    {words.why}
                  </p>
                )}
                <details className="tech">
                  <summary>Details</summary>
                  <dl>
                    <dt>DID</dt>
                    <dd>{peer.did === undefined ? 'not proven yet' : <code className="wrap">{peer.did}</code>}</dd>
                    <dt>Peer ID</dt>
                    <dd>
                      <code className="wrap">{peer.peerId}</code>
                    </dd>
                    <dt>Connections</dt>
                    <dd>
                      <ul>
                        {peer.links.map((l) => (
                          <li key={`${l.remoteAddr}-${l.openedAt}`}>
                            {LINK_LABEL[l.path]}: <code className="wrap">{l.remoteAddr}</code>
                          </li>
                        ))}
                      </ul>
                    </dd>
                  </dl>
                </details>
              </li>
            )
          })}
        </ul>
      )}
      <RelaysSection />
      <SourcesSection />
    </aside>
  )
}
