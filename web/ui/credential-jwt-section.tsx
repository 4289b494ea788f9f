import { useState, type FormEvent } from 'react'
import { stepOf, type PresentationFailure, type TrustCredential } from '../app/trust-service.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatDate, shortId } from './format.ts'

const short = (did: string): string => shortId(did.slice('did:key:'.length))

/** What a verified credential says, in words. */
export function CredentialClaim({ credential }: { credential: TrustCredential }) {
  return (
    <span data-testid="credential-claim">
      <code title={credential.issuer}>{short(credential.issuer)}</code> says{' '}
      <code title={credential.subject}>{short(credential.subject)}</code> is {stepOf(credential.level)} ({credential.level})
      {credential.context && `, as ${credential.context}`}, from {formatDate(credential.issuedAt * 1000)} until{' '}
      {formatDate(credential.expiresAt * 1000)}
    </span>
  )
}

/** A credential's JWT, to copy into another app or send by hand. */
export function CredentialJwt({ credential, label }: { credential: TrustCredential; label: string }) {
  const id = `jwt-${credential.id}`
  return (
    <details className="credential-jwt">
      <summary>Show its JWT</summary>
      <label htmlFor={id}>{label}</label>
      <textarea id={id} className="mono" readOnly rows={4} value={credential.jwt} onFocus={(e) => e.currentTarget.select()} />
    </details>
  )
}

/** Credentials others issued about me, and any credential pasted in as its JWT. */
export function CredentialJwtSection() {
  const app = useApp()
  // what it shows comes from the trust service: drawn again on every app change
  useAppState()
  const [jwt, setJwt] = useState('')
  const [result, setResult] = useState<{ credential: TrustCredential } | { error: string } | undefined>()
  const aboutMe = app.trust.aboutMe()

  const importJwt = (event: FormEvent): void => {
    event.preventDefault()
    app.trust.importCredential(jwt).then(
      (credential) => {
        setResult({ credential })
        setJwt('')
      },
      (err: unknown) => setResult({ error: describeError(err) }),
    )
  }

  return (
    <div>
      <h3>Credentials about you</h3>
      {aboutMe.length === 0 ? (
        <p className="hint">Nobody has vouched for you yet, or you have not met them since.</p>
      ) : (
        <ul aria-label="Credentials about you">
          {aboutMe.map((c) => (
            <li key={c.id} data-testid="credential-about-me">
              <CredentialClaim credential={c} />
              <CredentialJwt credential={c} label={`JWT of the credential from ${c.issuer}`} />
            </li>
          ))}
        </ul>
      )}
      <p className="hint">
        You show these, and those you issued, to each peer you connect to, in a presentation made for that connection only.
      </p>
      <h3>Import a credential</h3>
      <form onSubmit={importJwt} aria-label="Import a credential" className="jwt-form">
        <label htmlFor="import-jwt">Credential JWT</label>
        <textarea id="import-jwt" className="mono" rows={3} value={jwt} onChange={(e) => setJwt(e.target.value)} placeholder="eyJ…" />
        <button type="submit" disabled={jwt.trim() === ''}>
          Verify and import
        </button>
      </form>
      {result !== undefined && 'credential' in result && (
        <p role="status" data-testid="imported-credential">
          Verified and kept: <CredentialClaim credential={result.credential} />.
        </p>
      )}
      {result !== undefined && 'error' in result && <p role="alert">{result.error}</p>}
      <RefusedPresentations />
    </div>
  )
}

const REFUSAL_WORDS: Record<PresentationFailure, string> = {
  'wrong-challenge': 'it was made for another connection (a replay)',
  'wrong-domain': 'it was made for someone else',
  'wrong-holder': 'it was made by someone other than the peer who sent it',
  malformed: 'it was not a presentation',
  invalid: 'its signature or dates did not verify',
}

function RefusedPresentations() {
  const app = useApp()
  const refusals = app.trust.refusals()
  if (refusals.length === 0) return null
  return (
    <>
      <h3>Presentations refused</h3>
      <ul aria-label="Presentations refused">
        {refusals.map((r) => (
          <li key={`${r.holder}-${r.at}`} data-testid="refused-presentation" data-reason={r.reason}>
            From <code title={r.holder}>{short(r.holder)}</code> at {formatDate(r.at)}: {REFUSAL_WORDS[r.reason]}. Nothing in it was kept.
          </li>
        ))}
      </ul>
    </>
  )
}
