import type { ConnectionPath } from '../app/transfers.ts'
import { useApp, useAppState } from './app-context.ts'
import { shortId } from './format.ts'
import { TrustSelect } from './trust-select.tsx'

const PATH_LABEL: Record<ConnectionPath, string> = {
  'direct-webrtc': 'direct WebRTC',
  relayed: 'relayed',
  'relay-server': 'relay server',
}

const RELAY_LABEL = { none: 'no relay', connecting: 'connecting…', connected: 'connected', disconnected: 'disconnected, retrying' } as const

export function NetworkPanel() {
  const app = useApp()
  const { network } = useAppState()
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
        <dt>This browser</dt>
        <dd>
          <code title={network.peerId}>{shortId(network.peerId)}</code>
        </dd>
        <dt>Relay</dt>
        <dd data-testid="relay-state" data-state={network.relay.state}>
          {network.offline ? 'off (working offline)' : RELAY_LABEL[network.relay.state]}
          {network.relay.lastError !== undefined && network.relay.state !== 'connected' && <small> ({network.relay.lastError})</small>}
        </dd>
        <dt>Reachable at</dt>
        <dd data-testid="share-address" data-live={network.shareAddressLive}>
          {network.shareAddress === undefined ? 'not yet (needs the relay)' : <code className="wrap">{network.shareAddress}</code>}
          {network.shareAddress !== undefined && !network.shareAddressLive && (
            <small> (relay gone: only peers with a direct link reach this)</small>
          )}
        </dd>
      </dl>
      <h3>Peers</h3>
      {network.peers.filter((p) => p.links.some((l) => l.path !== 'relay-server')).length === 0 ? (
        <p className="muted">No other browsers connected.</p>
      ) : (
        <ul aria-label="Connected peers">
          {network.peers
            .filter((p) => p.links.some((l) => l.path !== 'relay-server'))
            .map((peer) => {
              const direct = peer.links.some((l) => l.path === 'direct-webrtc')
              return (
                <li key={peer.peerId} data-testid="peer" data-peer-id={peer.peerId} data-path={direct ? 'direct-webrtc' : 'relayed'}>
                  {peer.did === undefined ? (
                    <span className="muted" data-testid="peer-did" data-did="">
                      not authenticated
                    </span>
                  ) : (
                    <span data-testid="peer-did" data-did={peer.did} title={peer.did}>
                      {peer.name ? `${peer.name} · ` : ''}
                      <code>{shortId(peer.did.slice('did:key:'.length))}</code>
                    </span>
                  )}{' '}
                  <small className="muted" title={peer.peerId}>
                    peer {shortId(peer.peerId)}
                  </small>{' '}
                  {peer.did !== undefined && <TrustSelect did={peer.did} label={peer.name || shortId(peer.did)} />}{' '}
                  <span className={direct ? 'badge ok' : 'badge warn'}>{direct ? PATH_LABEL['direct-webrtc'] : PATH_LABEL.relayed}</span>
                  <small className="muted"> {peer.links.map((l) => PATH_LABEL[l.path]).join(' + ')}</small>{' '}
                  <button type="button" aria-label={`Disconnect ${shortId(peer.peerId)}`} onClick={() => void app.disconnect(peer.peerId)}>
                    Disconnect
                  </button>
                </li>
              )
            })}
        </ul>
      )}
    </aside>
  )
}
