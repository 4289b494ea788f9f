import { useState } from 'react'
import { DEFAULT_ENTRY_PRIVACY, filterEntries, type EntryFilter, type EntryType, type EntryView } from '../app/entries-service.ts'
import { useApp, useAppState } from './app-context.ts'
import { PrivacySelect } from './privacy-select.tsx'
import { PublishControl } from './publish-control.tsx'
import { EntryForm, EntryTypeOptions, TYPE_LABEL } from './entry-form.tsx'
import { EntryHistory } from './entry-history.tsx'
import { formatDate, shortId } from './format.ts'
import { saveText } from './save-file.ts'

export function VerificationBadge({ entry }: { entry: EntryView }) {
  return entry.verification.valid ? (
    <span className="badge ok" data-testid="badge" data-valid="true" title={`Signed by ${entry.entry.issuer}`}>
      valid signature
    </span>
  ) : (
    <span className="badge bad" data-testid="badge" data-valid="false" title={entry.verification.reason}>
      invalid: {entry.verification.reason}
    </span>
  )
}

export function EntriesPanel() {
  const app = useApp()
  const { entries, files } = useAppState()
  const fileName = (cid: string) => files.find((f) => f.cid === cid)?.name
  const [editing, setEditing] = useState<{ previous?: EntryView } | undefined>()
  const [history, setHistory] = useState<EntryView | undefined>()
  const [filter, setFilter] = useState<EntryFilter>({})
  const shown = filterEntries(entries, filter)
  const day = (value: string, end: boolean) =>
    value === '' ? undefined : new Date(`${value}T${end ? '23:59:59.999' : '00:00:00'}`).getTime()

  return (
    <section className="panel" aria-labelledby="entries-heading">
      <h2 id="entries-heading">Entries</h2>
      <p className="muted">Signed, versioned statements about content. Anyone can check them with did-jwt and a did:key resolver.</p>
      {editing === undefined ? (
        <button type="button" onClick={() => setEditing({})}>
          New entry…
        </button>
      ) : (
        <EntryForm previous={editing.previous} onDone={() => setEditing(undefined)} />
      )}
      <div className="filters" role="search" aria-label="Filter entries">
        <label>
          Type
          <select value={filter.type ?? ''} onChange={(e) => setFilter({ ...filter, type: e.target.value as EntryType | '' })}>
            <option value="">any</option>
            <EntryTypeOptions />
          </select>
        </label>
        <label>
          Author
          <input value={filter.author ?? ''} onChange={(e) => setFilter({ ...filter, author: e.target.value })} placeholder="did:key:…" />
        </label>
        <label>
          Text
          <input value={filter.text ?? ''} onChange={(e) => setFilter({ ...filter, text: e.target.value })} />
        </label>
        <label>
          From
          <input type="date" onChange={(e) => setFilter({ ...filter, from: day(e.target.value, false) })} />
        </label>
        <label>
          To
          <input type="date" onChange={(e) => setFilter({ ...filter, to: day(e.target.value, true) })} />
        </label>
      </div>
      {shown.length === 0 ? (
        <p className="muted">{entries.length === 0 ? 'No entries yet.' : 'No entry matches.'}</p>
      ) : (
        <ul aria-label="Entries" className="entries">
          {shown.map((e) => (
            <li key={e.cid} data-testid="entry" data-cid={e.cid}>
              <div>
                <strong>{e.entry.title}</strong> <span className="muted">{TYPE_LABEL[e.entry.type]}</span>
                {e.entry.meta?.version && <span className="muted"> · v{e.entry.meta.version}</span>} <VerificationBadge entry={e} />
              </div>
              <small className="muted">
                by <code title={e.entry.issuer}>{shortId(e.entry.issuer.slice('did:key:'.length))}</code> ·{' '}
                {formatDate(e.entry.signedAt * 1000)} · about{' '}
                <code title={e.entry.content}>{fileName(e.entry.content) ?? shortId(e.entry.content)}</code>
                {e.entry.prev && ' · a new version'}
              </small>
              {e.entry.description && <p>{e.entry.description}</p>}
              <div className="actions">
                <PrivacySelect
                  name={e.entry.title}
                  privacy={e.privacy ?? DEFAULT_ENTRY_PRIVACY}
                  onChange={(p) => void app.setEntryPrivacy(e.cid, p)}
                />
                <PublishControl
                  name={e.entry.title}
                  privacy={e.privacy ?? DEFAULT_ENTRY_PRIVACY}
                  pins={e.pins}
                  onPublish={() => void app.publishEntry(e.cid)}
                  onUnpin={() => void app.unpinEntry(e.cid)}
                />
                <button type="button" aria-label={`History of ${e.entry.title}`} onClick={() => setHistory(e)}>
                  History
                </button>
                <button type="button" aria-label={`New version of ${e.entry.title}`} onClick={() => setEditing({ previous: e })}>
                  New version
                </button>
                <button
                  type="button"
                  aria-label={`Export ${e.entry.title}`}
                  onClick={() => saveText(e.jws, `${e.cid}.jws`, 'application/jose')}
                >
                  Export JWS
                </button>
              </div>
            </li>
          ))}
        </ul>
      )}
      {history !== undefined && <EntryHistory entry={history} onClose={() => setHistory(undefined)} />}
    </section>
  )
}
