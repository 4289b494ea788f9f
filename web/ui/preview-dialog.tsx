import { useEffect, useState } from 'react'
import type { FileView } from '../app/library.ts'
import type { Preview } from '../app/preview.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes } from './format.ts'
import type { DirectoryEntry } from '../app/preview.ts'
import { Dialog } from './dialog.tsx'

type Shown = { preview: Preview; imageUrl: string | undefined } | { error: string }

export function PreviewDialog({ file, onClose }: { file: FileView; onClose: () => void }) {
  const app = useApp()
  const [shown, setShown] = useState<Shown | undefined>()

  useEffect(() => {
    let live = true
    let imageUrl: string | undefined
    app.preview(file.cid).then(
      (preview) => {
        if (!live) return
        imageUrl = preview.kind === 'image' ? URL.createObjectURL(preview.blob) : undefined
        setShown({ preview, imageUrl })
      },
      (err: unknown) => live && setShown({ error: describeError(err) }),
    )
    return () => {
      live = false
      if (imageUrl !== undefined) URL.revokeObjectURL(imageUrl)
    }
  }, [app, file.cid])

  return (
    <Dialog title={`Preview of ${file.name}`} onClose={onClose}>
      {shown === undefined && <p>Loading…</p>}
      {shown !== undefined && 'error' in shown && <p role="alert">{shown.error}</p>}
      {shown !== undefined && 'preview' in shown && <PreviewBody shown={shown} name={file.name} />}
    </Dialog>
  )
}

function PreviewBody({ shown, name }: { shown: { preview: Preview; imageUrl: string | undefined }; name: string }) {
  const { preview, imageUrl } = shown
  switch (preview.kind) {
    case 'text':
      return <pre data-testid="preview-text">{preview.text + (preview.truncated ? '\n…' : '')}</pre>
    case 'image':
      return <img src={imageUrl} alt={name} className="preview-image" />
    case 'hex':
      return <pre data-testid="preview-hex">{preview.lines.join('\n') + (preview.truncated ? '\n…' : '')}</pre>
    case 'directory':
      return <DirectoryListing entries={preview.entries} />
  }
}

/** A directory's entries; a file inside can be kept in the library as a file of its own. */
function DirectoryListing({ entries }: { entries: DirectoryEntry[] }) {
  const app = useApp()
  const { files } = useAppState()
  if (entries.length === 0) return <p className="hint">This directory is empty.</p>
  return (
    <ul aria-label="Directory entries" data-testid="directory-listing">
      {entries.map((e) => (
        <li key={e.cid}>
          {e.type === 'directory' ? `${e.name}/` : e.name} <small className="muted">{e.type === 'file' && formatBytes(e.size)}</small>{' '}
          {e.type === 'file' &&
            (files.some((f) => f.cid === e.cid) ? (
              <small>in the library</small>
            ) : (
              <button type="button" aria-label={`Keep ${e.name} in the library`} onClick={() => void app.addFromDirectory(e)}>
                Keep in the library
              </button>
            ))}
        </li>
      ))}
    </ul>
  )
}
