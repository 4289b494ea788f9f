// The reference: Yjs's own WebRTC provider with the same editor, set up as the
// app's notes. Bundled by bench/y-webrtc.ts and injected into a blank page.
import * as Y from 'yjs'
import { WebrtcProvider } from 'y-webrtc'
import { IndexeddbPersistence } from 'y-indexeddb'
import { EditorState } from '@codemirror/state'
import { EditorView, keymap } from '@codemirror/view'
import { defaultKeymap } from '@codemirror/commands'
import { markdown } from '@codemirror/lang-markdown'
import { yCollab, yUndoManagerKeymap } from 'y-codemirror.next'

/** `persist`: the document also kept in IndexedDB by y-indexeddb, as the app keeps its own. */
function start(room: string, signaling: string, name: string, persist = false): void {
  const doc = new Y.Doc()
  if (persist) new IndexeddbPersistence(room, doc)
  const provider = new WebrtcProvider(room, doc, { signaling: [signaling], peerOpts: { config: { iceServers: [] } } })
  provider.awareness.setLocalStateField('user', { name, color: '#00798c' })
  const text = doc.getText('note')
  const parent = document.createElement('div')
  parent.dataset.testid = 'note-editor'
  document.body.replaceChildren(parent)
  new EditorView({
    parent,
    state: EditorState.create({
      doc: text.toJSON(),
      extensions: [
        keymap.of([...yUndoManagerKeymap, ...defaultKeymap]),
        markdown(),
        // the app's notes wrap long lines: laying out a 200 000-character line wrapped is part of showing it
        EditorView.lineWrapping,
        yCollab(text, provider.awareness, { undoManager: new Y.UndoManager(text) }),
      ],
    }),
  })
  Object.assign(window, {
    benchPeers: () => provider.room?.webrtcConns.size ?? 0,
    benchOffline: (offline: boolean) => (offline ? provider.disconnect() : provider.connect()),
  })
}

Object.assign(window, { benchStart: start })
// a page served with ?room=…&signaling=…&name=… starts at once, as an app page would on load
const query = new URLSearchParams(location.search)
const room = query.get('room')
if (room !== null) start(room, query.get('signaling') ?? '', query.get('name') ?? '', query.get('persist') === '1')
