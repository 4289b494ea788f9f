import { lazy, Suspense, useState } from 'react'
import type { SpaceView } from '../app/spaces/space-view.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes, formatDate, shortId } from './format.ts'
import { InviteSection } from './invite-section.tsx'
import { PrivacySelect } from './privacy-select.tsx'
import { ReadersLink } from './readers-link.tsx'

// CodeMirror is loaded when a space is first opened, not with the app
const NoteEditor = lazy(async () => ({ default: (await import('./note-editor.tsx')).NoteEditor }))

const SYNC_WORDS = {
  me: '',
  'in-sync': 'in sync',
  sending: 'sending',
  waiting: 'offline',
  'never-synced': 'not synced yet',
} as const

/** One space: members and their sync state, who is here, notes, files and entries. */
export function SpaceDetail({ space }: { space: SpaceView }) {
  const app = useApp()
  const { files, entries } = useAppState()
  const [noteId, setNoteId] = useState('main')
  const [title, setTitle] = useState('')
  const current = space.notes.find((n) => n.id === noteId) ?? space.notes[0]
  return (
    <article className="space" aria-label={`Space ${space.name}`}>
      <h3>{space.name}</h3>
      <p className="hint">
        {space.role === 'owner' ? 'You own this space.' : `You may ${space.role === 'write' ? 'read and write' : 'read'}.`} Owner{' '}
        <code title={space.owner}>{shortId(space.owner.slice('did:key:'.length))}</code>
      </p>
      <section aria-label="Members">
        <h4>Members</h4>
        <ul className="members">
          {space.members.map((m) => (
            <li key={m.did} data-testid="member" data-did={m.did} data-sync={m.sync}>
              <span className={m.online ? 'dot online' : 'dot'} aria-hidden="true" /> {m.name ?? shortId(m.did.slice('did:key:'.length))} (
              {m.role}){!m.me && <span> · {SYNC_WORDS[m.sync]}</span>}
              {m.pending > 0 && <span> · {m.pending} changes not yet sent</span>}
              {m.lastSyncedAt !== undefined && !m.me && <span className="hint"> · last synced {formatDate(m.lastSyncedAt)}</span>}
              {space.role === 'owner' && !m.me && (
                <button type="button" className="danger" onClick={() => void app.spaces.removeMember(space.id, m.did)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Here now">
        <h4>Here now</h4>
        {space.presence.length === 0 ? (
          <p className="hint">No one else is here.</p>
        ) : (
          <ul>
            {space.presence.map((p) => (
              <li key={p.did} data-testid="presence">
                <span className="dot" style={{ background: p.color }} aria-hidden="true" /> {p.name}
                {p.note !== undefined && <> — editing “{space.notes.find((n) => n.id === p.note)?.title ?? 'a note'}”</>}
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-label="Notes">
        <h4>Notes</h4>
        <div className="row">
          {space.notes.map((n) => (
            <button key={n.id} type="button" aria-pressed={n.id === current?.id} onClick={() => setNoteId(n.id)}>
              {n.title}
            </button>
          ))}
          {space.canWrite && (
            <form
              onSubmit={(e) => {
                e.preventDefault()
                void app.spaces.addNote(space.id, title).then(setNoteId)
                setTitle('')
              }}
            >
              <input aria-label="New note title" value={title} onChange={(e) => setTitle(e.target.value)} placeholder="New note" />
              <button type="submit">Add note</button>
            </form>
          )}
        </div>
        {current !== undefined && (
          <Suspense fallback={<p className="hint">Loading the editor…</p>}>
            <NoteEditor key={`${space.id}/${current.id}`} spaceId={space.id} noteId={current.id} readOnly={!space.canWrite} />
          </Suspense>
        )}
      </section>
      <section aria-label="Space files">
        <h4>Files</h4>
        {space.files.length === 0 && <p className="hint">No files in this space yet.</p>}
        <ul>
          {space.files.map((f) => (
            <li key={f.cid} data-testid="space-file" data-state={f.state}>
              {f.name} · {formatBytes(f.size)} · {f.state === 'here' ? 'here' : f.state === 'fetching' ? 'fetching…' : 'not here yet'}
            </li>
          ))}
        </ul>
        {space.canWrite && files.length > 0 && (
          <select
            aria-label="Add a library file"
            value=""
            onChange={(e) => {
              const file = files.find((f) => f.cid === e.target.value)
              if (file !== undefined) app.spaces.addFile(space.id, file.cid, { name: file.name, type: file.type, size: file.size })
            }}
          >
            <option value="">Add a file from the library…</option>
            {files.map((f) => (
              <option key={f.cid} value={f.cid}>
                {f.name}
              </option>
            ))}
          </select>
        )}
      </section>
      <section aria-label="Space entries">
        <h4>Entries</h4>
        {space.entries.length === 0 && <p className="hint">No entries in this space yet.</p>}
        <ul>
          {space.entries.map((e) => (
            <li key={e.cid}>{e.error !== undefined ? `refused: ${e.error}` : (e.title ?? 'checking…')}</li>
          ))}
        </ul>
        {space.canWrite && entries.length > 0 && (
          <select
            aria-label="Add an entry"
            value=""
            onChange={(e) => {
              const entry = entries.find((x) => x.cid === e.target.value)
              if (entry !== undefined) app.spaces.addEntry(space.id, entry.cid, entry.jws)
            }}
          >
            <option value="">Add one of your entries…</option>
            {entries.map((x) => (
              <option key={x.cid} value={x.cid}>
                {x.entry.title}
              </option>
            ))}
          </select>
        )}
      </section>
      {space.role === 'owner' && (
        <>
          <InviteSection spaceId={space.id} />
          <section aria-label="Who else may read">
            <h4>Who else may read without an invitation</h4>
            <PrivacySelect name={`space-${space.id}`} privacy={space.privacy} onChange={(p) => void app.spaces.setPrivacy(space.id, p)} />
            <ReadersLink spaceId={space.id} />
          </section>
        </>
      )}
      <button type="button" className="danger" onClick={() => void app.spaces.leave(space.id)}>
        {space.role === 'owner' ? 'Delete this space here' : 'Leave this space'}
      </button>
    </article>
  )
}
