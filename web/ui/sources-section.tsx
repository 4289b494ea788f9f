import { useState, type FormEvent } from 'react'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes } from './format.ts'

const KIND_WORDS = { local: 'this browser', peer: 'peer', relay: 'relay', gateway: 'gateway' } as const

/** Where public content is asked for, in order, and every source's record so far. */
export function SourcesSection() {
  const app = useApp()
  const { gateways, sources } = useAppState()
  const [text, setText] = useState<string | undefined>()
  const [error, setError] = useState<string | undefined>()
  const save = (event: FormEvent): void => {
    event.preventDefault()
    app.setGateways((text ?? gateways.join('\n')).split('\n')).then(
      () => {
        setText(undefined)
        setError(undefined)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }
  return (
    <section aria-labelledby="sources-heading">
      <h3 id="sources-heading">Content sources</h3>
      <form onSubmit={save} className="gateways-form">
        <label htmlFor="gateways">Gateways for public content, one per line, asked in this order (after the person who shared it)</label>
        <textarea
          id="gateways"
          rows={3}
          className="mono wide"
          value={text ?? gateways.join('\n')}
          onChange={(e) => setText(e.target.value)}
        />
        <button type="submit">Save gateways</button>
        {error !== undefined && <p role="alert">{error}</p>}
      </form>
      <PinningServicesForm />
      {sources.length > 0 && (
        <ul aria-label="Source records" className="sources">
          {sources.map((s) => (
            <li
              key={s.id}
              data-testid="source-record"
              data-source={s.id}
              data-bad-bytes={s.badBytes}
              data-health={s.health.toFixed(2)}
              title={s.lastError}
            >
              {s.label} <small className="muted">({KIND_WORDS[s.kind]})</small>
              {s.badBytes > 0 && <span className="badge bad">sent bad bytes</span>}
              <br />
              <small>
                {s.successes} delivered · {s.failures} failed · {s.badBytes} with bad bytes
                {s.medianBytesPerSecond !== undefined && ` · median ${formatBytes(s.medianBytesPerSecond)}/s`}
                {s.medianFirstBlockMs !== undefined && ` · first block in ${Math.round(s.medianFirstBlockMs)} ms`}
                {` · health ${s.health.toFixed(2)}`}
              </small>
            </li>
          ))}
        </ul>
      )}
    </section>
  )
}

/** Pinning services that a published file also goes to, besides the relay. */
function PinningServicesForm() {
  const app = useApp()
  const { pinningServices } = useAppState()
  const shown = pinningServices.map((s) => (s.token === undefined ? s.url : `${s.url} ${s.token}`)).join('\n')
  const [text, setText] = useState<string | undefined>()
  const [error, setError] = useState<string | undefined>()
  const save = (event: FormEvent): void => {
    event.preventDefault()
    app.setPinningServices((text ?? shown).split('\n')).then(
      () => {
        setText(undefined)
        setError(undefined)
      },
      (err: unknown) => setError(describeError(err)),
    )
  }
  return (
    <form onSubmit={save} className="gateways-form">
      <label htmlFor="pinning-services">
        Other pinning services for published files, one per line: the service&apos;s URL, then its access token (none for another relay like
        this one)
      </label>
      <textarea id="pinning-services" rows={2} className="mono wide" value={text ?? shown} onChange={(e) => setText(e.target.value)} />
      <button type="submit">Save pinning services</button>
      {error !== undefined && <p role="alert">{error}</p>}
    </form>
  )
}
