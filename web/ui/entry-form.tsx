import { useState, type FormEvent } from 'react'
import {
  AUTHOR_ROLES,
  ENTRY_TYPES,
  RELATIONSHIPS,
  type Author,
  type EntryForm as Form,
  type EntryType,
  type EntryView,
  type Reference,
} from '../app/entries-service.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'

const TYPE_LABEL: Record<EntryType, string> = {
  document: 'Document',
  image: 'Image',
  'blog-post': 'Blog post',
  signature: 'Signature',
  metadata: 'Metadata',
}
export { TYPE_LABEL }

/** One <option> per entry type. */
export function EntryTypeOptions() {
  return (
    <>
      {ENTRY_TYPES.map((t) => (
        <option key={t} value={t}>
          {TYPE_LABEL[t]}
        </option>
      ))}
    </>
  )
}

/** Creates an entry, or a new version of `previous`. */
export function EntryForm({ previous, onDone }: { previous?: EntryView; onDone: () => void }) {
  const app = useApp()
  const { files } = useAppState()
  const [type, setType] = useState<EntryType>(previous?.entry.type ?? 'document')
  const [title, setTitle] = useState(previous?.entry.title ?? '')
  const [description, setDescription] = useState(previous?.entry.description ?? '')
  const [content, setContent] = useState(previous?.entry.content ?? files[0]?.cid ?? '')
  const [text, setText] = useState('')
  const [references, setReferences] = useState<Reference[]>(previous?.entry.meta?.references ?? [])
  const [authors, setAuthors] = useState<Author[]>(previous?.entry.meta?.authors ?? [])
  const [version, setVersion] = useState('')
  const [changes, setChanges] = useState('')
  const [error, setError] = useState<string | undefined>()
  const [busy, setBusy] = useState(false)

  const submit = (event: FormEvent): void => {
    event.preventDefault()
    const form: Form = { type, title, description, content, text, references, authors, version, changes, prev: previous?.cid }
    setBusy(true)
    app.entries.create(form).then(
      () => {
        setBusy(false)
        onDone()
      },
      (err: unknown) => {
        setBusy(false)
        setError(describeError(err))
      },
    )
  }

  return (
    <form onSubmit={submit} className="entry-form" aria-label={previous ? `New version of ${previous.entry.title}` : 'New entry'}>
      <label>
        Type
        <select value={type} onChange={(e) => setType(e.target.value as EntryType)}>
          <EntryTypeOptions />
        </select>
      </label>
      <label>
        Title
        <input value={title} onChange={(e) => setTitle(e.target.value)} required maxLength={200} />
      </label>
      <label>
        Description
        <textarea value={description} onChange={(e) => setDescription(e.target.value)} rows={2} />
      </label>
      {type === 'blog-post' ? (
        <label>
          Text of the post (Markdown)
          <textarea value={text} onChange={(e) => setText(e.target.value)} rows={6} />
        </label>
      ) : (
        <label>
          Content
          <select value={content} onChange={(e) => setContent(e.target.value)}>
            {files.length === 0 && <option value="">Add a file to the library first</option>}
            {files.map((f) => (
              <option key={f.cid} value={f.cid}>
                {f.name} ({f.cid.slice(0, 12)}…)
              </option>
            ))}
            {content !== '' && !files.some((f) => f.cid === content) && <option value={content}>{content}</option>}
          </select>
        </label>
      )}
      {type === 'metadata' && (
        <fieldset>
          <legend>Metadata</legend>
          <ListEditor
            label="Reference"
            items={references}
            setItems={setReferences}
            blank={{ cid: '', rel: 'attachment', mime: '' }}
            render={(r, set) => (
              <>
                <input aria-label="Reference CID" placeholder="CID" value={r.cid} onChange={(e) => set({ ...r, cid: e.target.value })} />
                <input
                  aria-label="Reference MIME type"
                  placeholder="MIME type"
                  value={r.mime ?? ''}
                  onChange={(e) => set({ ...r, mime: e.target.value })}
                />
                <select aria-label="Relationship" value={r.rel} onChange={(e) => set({ ...r, rel: e.target.value as Reference['rel'] })}>
                  {RELATIONSHIPS.map((x) => (
                    <option key={x}>{x}</option>
                  ))}
                </select>
              </>
            )}
          />
          <ListEditor
            label="Author"
            items={authors}
            setItems={setAuthors}
            blank={{ did: '', role: 'creator' }}
            render={(a, set) => (
              <>
                <input
                  aria-label="Author DID"
                  placeholder="did:key:z6Mk…"
                  value={a.did}
                  onChange={(e) => set({ ...a, did: e.target.value })}
                />
                <select aria-label="Author role" value={a.role} onChange={(e) => set({ ...a, role: e.target.value as Author['role'] })}>
                  {AUTHOR_ROLES.map((x) => (
                    <option key={x}>{x}</option>
                  ))}
                </select>
              </>
            )}
          />
        </fieldset>
      )}
      <label>
        Version label
        <input value={version} onChange={(e) => setVersion(e.target.value)} placeholder={previous ? 'e.g. 1.1' : 'e.g. 1.0'} />
      </label>
      {previous !== undefined && (
        <label>
          What changed
          <input value={changes} onChange={(e) => setChanges(e.target.value)} />
        </label>
      )}
      {error !== undefined && <p role="alert">{error}</p>}
      <div>
        <button type="submit" disabled={busy}>
          {previous ? 'Sign new version' : 'Sign entry'}
        </button>
        <button type="button" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  )
}

function ListEditor<T>({
  label,
  items,
  setItems,
  blank,
  render,
}: {
  label: string
  items: T[]
  setItems: (items: T[]) => void
  blank: T
  render: (item: T, set: (item: T) => void) => React.ReactNode
}) {
  return (
    <div className="list-editor">
      {items.map((item, i) => (
        <div key={i} className="list-row">
          {render(item, (next) => setItems(items.map((x, j) => (j === i ? next : x))))}
          <button
            type="button"
            aria-label={`Remove ${label.toLowerCase()} ${i + 1}`}
            onClick={() => setItems(items.filter((_, j) => j !== i))}
          >
            Remove
          </button>
        </div>
      ))}
      <button type="button" onClick={() => setItems([...items, blank])}>
        Add {label.toLowerCase()}
      </button>
    </div>
  )
}
