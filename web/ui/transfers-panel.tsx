import { useState, type FormEvent } from 'react'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes } from './format.ts'
import { nameOfPeer } from '../app/network-summary.ts'
import type { Transfer } from '../app/transfers.ts'

const SOURCE_LABEL = {
  'direct-webrtc': 'direct',
  relayed: 'through the relay',
  'relay-server': 'through the relay',
  gateway: "from the relay's gateway",
} as const

const ATTEMPT_WORDS = {
  delivered: 'delivered',
  missing: 'does not have it',
  failed: 'failed',
  'bad-bytes': 'sent bytes that did not match, refused',
  aborted: 'stopped',
} as const

const STATE_LABEL = {
  connecting: 'connecting…',
  fetching: 'receiving',
  waiting: 'waiting for the network: it goes on once you are online',
  done: 'received and verified',
  failed: 'failed',
} as const

/** "the sharer's browser (31 %) and the relay's gateway (69 %)" */
function sharesInWords(shares: Transfer['shares']): string {
  const total = shares.reduce((n, s) => n + s.bytes, 0)
  const parts = shares.map((s) => `${s.source.label} (${Math.round((100 * s.bytes) / Math.max(total, 1))} %)`)
  return parts.length < 2 ? parts.join('') : `${parts.slice(0, -1).join(', ')} and ${parts.at(-1) ?? ''}`
}

function ReceiveForm() {
  const app = useApp()
  const [text, setText] = useState('')
  const [error, setError] = useState<string | undefined>()
  const submit = (event: FormEvent): void => {
    event.preventDefault()
    try {
      const link = app.parseShareLink(text)
      const content = link === undefined ? app.parseContentLink(text) : undefined
      if (link === undefined && content === undefined) {
        setError('That is neither a share link (with "#share=1") nor an ipfs:// link, a gateway URL (…/ipfs/CID) or a CID.')
        return
      }
      setError(undefined)
      setText('')
      if (link !== undefined) void app.fetchLink(link)
      else if (content !== undefined) void app.openContent(content)
    } catch (err) {
      setError(describeError(err))
    }
  }
  return (
    <form onSubmit={submit} className="receive-form">
      <label htmlFor="receive-link">Open a share link, ipfs:// link, gateway URL or CID</label>
      <input
        id="receive-link"
        type="text"
        value={text}
        onChange={(e) => setText(e.target.value)}
        placeholder="http://…/#share=1&cid=…, ipfs://bafy…"
      />
      <button type="submit">Fetch</button>
      {error !== undefined && <p role="alert">{error}</p>}
    </form>
  )
}

export function TransfersPanel() {
  const { transfers, network } = useAppState()
  return (
    <section className="panel" aria-labelledby="transfers-heading">
      <h2 id="transfers-heading">Incoming</h2>
      <ReceiveForm />
      <ul aria-label="Transfers">
        {transfers.map((t) => (
          <li
            key={t.id}
            data-testid="transfer"
            data-state={t.state}
            data-path={t.path ?? ''}
            data-cid={t.cid}
            data-started-at={t.startedAt}
            data-linked-at={t.linkedAt ?? ''}
            data-first-byte-at={t.firstByteAt ?? ''}
            data-finished-at={t.finishedAt ?? ''}
          >
            <div>
              <strong>{t.name}</strong>
              {(t.source === undefined || t.source.kind === 'peer') && t.peerId !== '' && (
                <> from {nameOfPeer(network, t.peerId) ?? "the sharer's browser"}</>
              )}
              : {STATE_LABEL[t.state]} {/* the path is shown while it carries the transfer, not once it failed */}
              {t.state !== 'failed' && t.state !== 'waiting' && t.path !== undefined && (
                <span className={t.path === 'direct-webrtc' || t.path === 'gateway' ? 'badge ok' : 'badge warn'}>
                  {SOURCE_LABEL[t.path]}
                </span>
              )}
            </div>
            <progress aria-label={`Receiving ${t.name}`} value={t.bytes} max={Math.max(t.total, 1)} />
            <small>
              {formatBytes(t.bytes)} of {formatBytes(t.total)}
              {t.finishedAt !== undefined && t.state === 'done' && ` in ${((t.finishedAt - t.startedAt) / 1000).toFixed(1)} s`}
            </small>
            {t.shares.length > 1 ? (
              <p className="hint" data-testid="transfer-note">
                It came from {sharesInWords(t.shares)} together, every block checked against its content ID.
              </p>
            ) : (
              t.source !== undefined &&
              t.source.kind !== 'peer' && (
                <p className="hint" data-testid="transfer-note">
                  {t.source.kind === 'local'
                    ? 'Already in this browser: nothing was fetched.'
                    : `The sharer's browser could not be used, so it came from ${t.source.label}, every block checked against its content ID.`}
                </p>
              )
            )}
            {t.attempts.some((a) => a.outcome !== 'delivered') && (
              <details className="tech" data-testid="transfer-attempts">
                <summary>Sources tried</summary>
                <ul>
                  {t.attempts.map((a, i) => (
                    <li key={i} data-outcome={a.outcome}>
                      {a.source.label}:{' '}
                      {a.outcome === 'missing' && a.source.kind === 'peer'
                        ? 'does not have it, or does not share it with you'
                        : ATTEMPT_WORDS[a.outcome]}
                      {a.reason !== undefined && a.outcome !== 'missing' && ` (${a.reason})`}
                    </li>
                  ))}
                </ul>
              </details>
            )}
            {t.error !== undefined && <p role="alert">{t.error}</p>}
          </li>
        ))}
      </ul>
    </section>
  )
}
