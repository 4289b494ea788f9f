import { useState, type FormEvent } from 'react'
import type { DerivedTrust } from '../app/trust-service.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatDate, shortId } from './format.ts'
import { CredentialJwt } from './credential-jwt-section.tsx'

/** Vouch for a DID with a signed credential; see and revoke what I issued. */
export function VouchSection() {
  const app = useApp()
  // what it shows comes from the trust service: drawn again on every app change
  useAppState()
  const [did, setDid] = useState('')
  const [level, setLevel] = useState(70)
  const [context, setContext] = useState('')
  const [days, setDays] = useState(365)
  const [message, setMessage] = useState<string | undefined>()
  const issued = app.trust.issuedByMe()

  const issue = (event: FormEvent): void => {
    event.preventDefault()
    app.trust.issueCredential(did, level, context, days).then(
      () => {
        setMessage('Credential issued. You show it to peers you connect to; its JWT is below.')
        setDid('')
      },
      (err: unknown) => setMessage(describeError(err)),
    )
  }

  return (
    <div>
      <h3>Vouch for someone</h3>
      <form onSubmit={issue} className="inline-form" aria-label="Issue a trust credential">
        <label htmlFor="vouch-did">DID</label>
        <input id="vouch-did" className="mono" value={did} onChange={(e) => setDid(e.target.value)} placeholder="did:key:z6Mk…" />
        <label htmlFor="vouch-level">Level</label>
        <select id="vouch-level" value={level} onChange={(e) => setLevel(Number(e.target.value))}>
          <option value={100}>full</option>
          <option value={70}>trusted</option>
          <option value={40}>acquaintance</option>
        </select>
        <label htmlFor="vouch-context">Context</label>
        <input id="vouch-context" value={context} onChange={(e) => setContext(e.target.value)} placeholder="e.g. colleague" />
        <label htmlFor="vouch-days">Valid for (days)</label>
        <input id="vouch-days" type="number" min={1} max={3650} value={days} onChange={(e) => setDays(Number(e.target.value))} />
        <button type="submit">Issue credential</button>
      </form>
      {message !== undefined && <p role="status">{message}</p>}
      {issued.length > 0 && (
        <ul aria-label="Credentials I issued">
          {issued.map((c) => (
            <li key={c.id} data-testid="issued-credential">
              <code title={c.subject}>{shortId(c.subject.slice('did:key:'.length))}</code> at {c.level}
              {c.context && ` (${c.context})`}, until {formatDate(c.expiresAt * 1000)}{' '}
              <button
                type="button"
                aria-label={`Revoke credential for ${c.subject}`}
                onClick={() => void app.trust.revoke(c.id).catch((err: unknown) => setMessage(describeError(err)))}
              >
                Revoke
              </button>
              <CredentialJwt credential={c} label={`JWT of the credential for ${c.subject}`} />
            </li>
          ))}
        </ul>
      )}
    </div>
  )
}

/** Shows the level of any DID, and the path it comes by. */
export function CheckDid() {
  const app = useApp()
  // what it shows comes from the trust service: drawn again on every app change
  useAppState()
  const [did, setDid] = useState('')
  const [shown, setShown] = useState<{ did: string } | undefined>()
  let result: DerivedTrust | undefined
  let error: string | undefined
  if (shown !== undefined) {
    try {
      result = app.trust.explain(shown.did)
    } catch (err) {
      error = describeError(err)
    }
  }
  return (
    <div>
      <h3>Why does a DID have its level?</h3>
      <form
        className="inline-form"
        aria-label="Check a DID"
        onSubmit={(e) => {
          e.preventDefault()
          setShown({ did: did.trim() })
        }}
      >
        <label htmlFor="check-did">DID</label>
        <input id="check-did" className="mono" value={did} onChange={(e) => setDid(e.target.value)} />
        <button type="submit">Check</button>
      </form>
      {error !== undefined && <p role="alert">{error}</p>}
      {result !== undefined && (
        <p data-testid="trust-explanation" data-step={result.step} data-source={result.source}>
          {result.step} ({result.level}): {result.source === 'direct' && 'your own list says so.'}
          {result.source === 'default' && 'nobody you trust vouches for it.'}
          {result.source === 'derived' &&
            `via ${result.path.map((p) => `${shortId(p.did.slice('did:key:'.length))} (${p.level})`).join(' → ')}.`}
        </p>
      )}
    </div>
  )
}
