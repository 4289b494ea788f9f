import { useEffect, useRef } from 'react'
import { EditorState } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { defaultKeymap } from '@codemirror/commands'
import { markdown } from '@codemirror/lang-markdown'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'
import { useApp } from './app-context.ts'

/** A Markdown note bound to the space's Yjs text: everyone's edits merge, and their cursors show. */
export function NoteEditor({ spaceId, noteId, readOnly }: { spaceId: string; noteId: string; readOnly: boolean }) {
  const app = useApp()
  const parent = useRef<HTMLDivElement>(null)
  useEffect(() => {
    const binding = app.spaces.noteBinding(spaceId, noteId)
    if (binding === undefined || parent.current === null) return
    const { text, awareness, undoManager } = binding
    const view = new EditorView({
      parent: parent.current,
      state: EditorState.create({
        doc: text.toJSON(),
        extensions: [
          keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
          markdown(),
          EditorView.lineWrapping,
          yCollab(text, awareness, { undoManager }),
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
          EditorView.contentAttributes.of({ 'aria-label': 'Note text' }),
        ],
      }),
    })
    app.spaces.presence.setEditing(spaceId, noteId)
    return () => {
      app.spaces.presence.setEditing(spaceId, undefined)
      view.destroy()
      undoManager.destroy()
    }
  }, [app, spaceId, noteId, readOnly])
  return <div ref={parent} className="note-editor" data-testid="note-editor" />
}
