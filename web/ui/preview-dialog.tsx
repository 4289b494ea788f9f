import { useEffect, useState } from 'react'
import type { FileView } from '../app/library.ts'
import type { Preview } from '../app/preview.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp } from './app-context.ts'
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
  }
}
