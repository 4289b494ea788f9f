import { useState } from 'react'
import type { FileView } from '../app/library.ts'
import type { SpaceView } from '../app/spaces/space-view.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes } from './format.ts'
import { PreviewDialog } from './preview-dialog.tsx'
import { downloadFile } from './save-file.ts'
import { useAct } from './use-act.ts'

const STATE_WORDS = {
  here: 'here',
  fetching: 'fetching…',
  'too-large': 'not fetched by itself, for its size',
  missing: 'not here yet',
} as const

/** A space's files: open the ones already here; writers add from the library or take them out. */
export function SpaceFiles({ space }: { space: SpaceView }) {
  const app = useApp()
  const { files } = useAppState()
  const [previewing, setPreviewing] = useState<FileView>()
  const act = useAct()
  return (
    <section aria-label="Space files">
      <h4>Files</h4>
      {space.files.length === 0 && <p className="hint">No files in this space yet.</p>}
      <ul>
        {space.files.map((f) => {
          const local = f.state === 'here' ? files.find((x) => x.cid === f.cid) : undefined
          return (
            <li key={f.cid} data-testid="space-file" data-state={f.state}>
              {f.name} · {formatBytes(f.size)} · {STATE_WORDS[f.state]}{' '}
              {local !== undefined && (
                <>
                  <button type="button" aria-label={`Preview ${f.name}`} onClick={() => setPreviewing(local)}>
                    Preview
                  </button>
                  <button type="button" aria-label={`Download ${f.name}`} onClick={() => void downloadFile(app, local)}>
                    Download
                  </button>
                </>
              )}
              {f.state === 'too-large' && (
                <button
                  type="button"
                  aria-label={`Fetch ${f.name} now`}
                  onClick={() => act(async () => await app.spaces.fetchFileNow(space.id, f.cid))}
                >
                  Fetch now
                </button>
              )}
              {space.canWrite && (
                <button
                  type="button"
                  aria-label={`Take ${f.name} out of the space`}
                  onClick={() => act(() => app.spaces.edits.removeFile(space.id, f.cid))}
                >
                  Take out
                </button>
              )}
            </li>
          )
        })}
      </ul>
      {space.canWrite && files.length > 0 && (
        <>
          <label htmlFor={`add-file-${space.id}`}>Add a library file</label>{' '}
          <select
            id={`add-file-${space.id}`}
            value=""
            onChange={(e) => {
              const file = files.find((f) => f.cid === e.target.value)
              if (file !== undefined)
                act(() => app.spaces.edits.addFile(space.id, file.cid, { name: file.name, type: file.type, size: file.size }))
            }}
          >
            <option value="">Add a file from the library…</option>
            {files.map((f) => (
              <option key={f.cid} value={f.cid}>
                {f.name}
              </option>
            ))}
          </select>
        </>
      )}
      {previewing !== undefined && <PreviewDialog file={previewing} onClose={() => setPreviewing(undefined)} />}
    </section>
  )
}
