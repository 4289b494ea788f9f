import { useEffect, useState } from 'react'
import type { FileView } from '../app/library.ts'
import type { Preview } from '../app/preview.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp } from './app-context.ts'
import { Dialog } from './dialog.tsx'

export function PreviewDialog({ file, onClose }: { file: FileView; onClose: () => void }) {
  const app = useApp()
  const [preview, setPreview] = useState<Preview | undefined>()
  const [error, setError] = useState<string | undefined>()
  const [imageUrl, setImageUrl] = useState<string | undefined>()

  useEffect(() => {
    let live = true
    app.preview(file.cid).then(
      (p) => live && setPreview(p),
      (err: unknown) => live && setError(describeError(err)),
    )
    return () => {
      live = false
    }
  }, [app, file.cid])

  useEffect(() => {
    if (preview?.kind !== 'image') return
    const url = URL.createObjectURL(preview.blob)
    setImageUrl(url)
    return () => URL.revokeObjectURL(url)
  }, [preview])

  return (
    <Dialog title={`Preview of ${file.name}`} onClose={onClose}>
      {error !== undefined && <p role="alert">{error}</p>}
      {preview === undefined && error === undefined && <p>Loading…</p>}
      {preview?.kind === 'text' && <pre data-testid="preview-text">{preview.text}{preview.truncated ? '\n…' : ''}</pre>}
      {preview?.kind === 'image' && imageUrl !== undefined && <img src={imageUrl} alt={file.name} className="preview-image" />}
      {preview?.kind === 'hex' && <pre data-testid="preview-hex">{preview.lines.join('\n')}{preview.truncated ? '\n…' : ''}</pre>}
    </Dialog>
  )
}
