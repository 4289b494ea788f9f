import { useState, type FormEvent } from 'react'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatDate, shortId } from './format.ts'
import { TrustSelect } from './trust-select.tsx'
import { CheckDid, VouchSection } from './credentials-section.tsx'
import { CredentialJwtSection } from './credential-jwt-section.tsx'

/** The peer book: everyone who has proven a DID to this browser. */
function MetList() {
  const { network } = useAppState()
  if (network.met.length === 0) return null
  return (
    <div>
      <h3>People you have met</h3>
      <ul aria-label="People you have met">
        {network.met.map((p) => (
          <li key={p.did} data-testid="met" data-did={p.did}>
            {p.name && <strong>{p.name} </strong>}
            <code title={p.did}>{shortId(p.did.slice('did:key:'.length))}</code>{' '}
            <small className="muted">
              {p.status === 'authenticated' ? 'proved their DID' : 'failed to authenticate'}, last seen {formatDate(p.lastSeen)}
              {p.peerIds.length > 1 && `, from ${p.peerIds.length} peer IDs`}
            </small>{' '}
            <TrustSelect did={p.did} label={p.name || shortId(p.did)} />
          </li>
        ))}
      </ul>
    </div>
  )
}

/** My trust list: every DID I have an opinion of, and a way to add one by pasting it. */
export function TrustPanel() {
  const app = useApp()
  const { trust } = useAppState()
  const [did, setDid] = useState('')
  const [label, setLabel] = useState('')
  const [level, setLevel] = useState(70)
  const [error, setError] = useState<string | undefined>()

  const add = (event: FormEvent): void => {
    event.preventDefault()
    app.trust.setTrust(did, level, { label }).then(
      () => {
        setDid('')
        setLabel('')
        setError(undefined)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }

  return (
    <section className="panel" aria-labelledby="trust-heading">
      <h2 id="trust-heading">Trust</h2>
      <p className="muted">Your list, yours alone. Private files go only to DIDs you trust enough; blocked DIDs get nothing.</p>
      <form onSubmit={add} className="inline-form" aria-label="Add a DID">
        <label htmlFor="trust-did">DID</label>
        <input id="trust-did" className="mono" value={did} onChange={(e) => setDid(e.target.value)} placeholder="did:key:z6Mk…" />
        <label htmlFor="trust-label">Label</label>
        <input id="trust-label" value={label} onChange={(e) => setLabel(e.target.value)} />
        <label htmlFor="trust-level">Level</label>
        <select id="trust-level" value={level} onChange={(e) => setLevel(Number(e.target.value))}>
          <option value={100}>full</option>
          <option value={70}>trusted</option>
          <option value={40}>acquaintance</option>
          <option value={0}>blocked</option>
        </select>
        <button type="submit">Add</button>
      </form>
      {error !== undefined && <p role="alert">{error}</p>}
      {trust.length === 0 ? (
        <p className="muted">Nobody on your list yet.</p>
      ) : (
        <table aria-label="Trust list">
          <thead>
            <tr>
              <th scope="col">Who</th>
              <th scope="col">Level</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {trust.map((t) => (
              <tr key={t.did} data-testid="trust-row" data-did={t.did} data-level={t.level}>
                <td title={t.did}>
                  {t.label && <strong>{t.label} </strong>}
                  <code>{shortId(t.did.slice('did:key:'.length))}</code>
                </td>
                <td>
                  <TrustSelect did={t.did} label={t.label || shortId(t.did)} />
                </td>
                <td>
                  <button type="button" aria-label={`Forget ${t.label || t.did}`} onClick={() => void app.trust.forget(t.did)}>
                    Forget
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <MetList />
      <CheckDid />
      <VouchSection />
      <CredentialJwtSection />
    </section>
  )
}
