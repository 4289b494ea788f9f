import { lazy, Suspense, useState } from 'react'
import type { SpaceView } from '../app/spaces/space-view.ts'
import { useApp } from './app-context.ts'
import { useAct } from './use-act.ts'
import type * as EditorModuleType from './note-editor.tsx'

type EditorModule = typeof EditorModuleType

// CodeMirror is loaded when a space is first opened, not with the app
let editorModule: Promise<EditorModule> | undefined
/** Starts loading the note editor, as soon as it is known a space will show (the app opening in one). */
export function preloadNoteEditor(): Promise<EditorModule> {
  return (editorModule ??= import('./note-editor.tsx'))
}
const NoteEditor = lazy(async () => ({ default: (await preloadNoteEditor()).NoteEditor }))

/** A space's notes: pick one to edit together; writers add, rename and delete them. */
export function SpaceNotes({ space }: { space: SpaceView }) {
  const app = useApp()
  const act = useAct()
  const [noteId, setNoteId] = useState('main')
  const [title, setTitle] = useState('')
  const current = space.notes.find((n) => n.id === noteId) ?? space.notes[0]
  return (
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
              act(async () => setNoteId(await app.spaces.edits.addNote(space.id, title)))
              setTitle('')
            }}
          >
            <label htmlFor={`new-note-${space.id}`}>New note title</label>{' '}
            <input id={`new-note-${space.id}`} value={title} onChange={(e) => setTitle(e.target.value)} />
            <button type="submit">Add note</button>
          </form>
        )}
      </div>
      {current !== undefined && space.canWrite && (
        <div className="row">
          <label htmlFor={`note-title-${space.id}`}>Note title</label>{' '}
          <input
            key={`${current.id}/${current.title}`}
            id={`note-title-${space.id}`}
            defaultValue={current.title}
            onBlur={(e) => e.target.value !== current.title && act(() => app.spaces.edits.renameNote(space.id, current.id, e.target.value))}
            onKeyDown={(e) => e.key === 'Enter' && e.currentTarget.blur()}
          />
          {current.id !== 'main' && (
            <button type="button" className="danger" onClick={() => act(() => app.spaces.edits.deleteNote(space.id, current.id))}>
              Delete this note
            </button>
          )}
        </div>
      )}
      {current !== undefined && !space.canWrite && (
        <p className="hint" data-testid="read-only">
          Read only: the owner gave you read access, so this note cannot be edited here.
        </p>
      )}
      {current !== undefined && (
        <Suspense fallback={<p className="hint">Loading the editor…</p>}>
          <NoteEditor key={`${space.id}/${current.id}`} spaceId={space.id} noteId={current.id} readOnly={!space.canWrite} />
        </Suspense>
      )}
    </section>
  )
}
