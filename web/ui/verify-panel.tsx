import { useState, type FormEvent } from 'react'
import type { VerifyReport } from '../app/entries-service.ts'
import { useApp } from './app-context.ts'
import { formatDate } from './format.ts'
import { TYPE_LABEL } from './entry-form.tsx'

/** Checks any entry: a pasted compact JWS, or the CID of one stored here. */
export function VerifyPanel() {
  const app = useApp()
  const [input, setInput] = useState('')
  const [report, setReport] = useState<VerifyReport | undefined>()

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    void app.entries.verify(input).then(setReport)
  }

  return (
    <section className="panel" aria-labelledby="verify-heading">
      <h2 id="verify-heading">Verify an entry</h2>
      <form onSubmit={submit}>
        <label htmlFor="verify-input">Entry (compact JWS) or entry CID</label>
        <textarea id="verify-input" rows={4} className="mono wide" value={input} onChange={(e) => setInput(e.target.value)} />
        <button type="submit">Verify</button>
      </form>
      {report !== undefined && (
        <div data-testid="verify-report" data-valid={report.valid} role="status" className={report.valid ? 'report ok' : 'report bad'}>
          {report.valid ? (
            <dl>
              <dt>Result</dt>
              <dd>Valid: signed by this DID, unchanged since.</dd>
              <dt>Signed by</dt>
              <dd>
                <code>{report.entry.issuer}</code>
              </dd>
              <dt>Signed at</dt>
              <dd>{formatDate(report.entry.signedAt * 1000)}</dd>
              <dt>About content</dt>
              <dd>
                <code>{report.entry.content}</code>
              </dd>
              <dt>Entry</dt>
              <dd>
                {TYPE_LABEL[report.entry.type]} “{report.entry.title}” · ID <code>{report.cid}</code>
              </dd>
            </dl>
          ) : (
            <p>Does not hold: {report.reason}</p>
          )}
        </div>
      )}
    </section>
  )
}
