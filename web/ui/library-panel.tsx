import { useState, type DragEvent } from 'react'
import type { FileView } from '../app/library.ts'
import { useApp, useAppState } from './app-context.ts'
import { formatBytes, formatDate, shortId } from './format.ts'
import { PreviewDialog } from './preview-dialog.tsx'
import { ShareDialog } from './share-dialog.tsx'
import { describeError } from '../app/describe-error.ts'
import { LookupForm } from './lookup-form.tsx'
import { downloadFile } from './save-file.ts'
import { PrivacySelect } from './privacy-select.tsx'
import { PublishControl } from './publish-control.tsx'
import { FilePickerButton } from './file-picker-button.tsx'

export function LibraryPanel() {
  const app = useApp()
  const { files, imports, storageKept } = useAppState()
  const [dragging, setDragging] = useState(false)
  const [previewing, setPreviewing] = useState<FileView | undefined>()
  const [sharing, setSharing] = useState<{ cid: string; link: string } | undefined>()
  // the file as it is now: making it public from the dialog shows at once
  const shared = sharing === undefined ? undefined : files.find((f) => f.cid === sharing.cid)
  const [highlighted, setHighlighted] = useState<string | undefined>()

  const onDrop = (event: DragEvent): void => {
    event.preventDefault()
    setDragging(false)
    void app.addFiles([...event.dataTransfer.files])
  }

  const share = (file: FileView): void => {
    try {
      setSharing({ cid: file.cid, link: app.shareLink(file.cid) })
    } catch (err) {
      app.reportError(describeError(err))
    }
  }

  return (
    <section className="panel" aria-labelledby="library-heading">
      <h2 id="library-heading">Library</h2>
      <div
        className={dragging ? 'drop-zone dragging' : 'drop-zone'}
        onDragOver={(e) => {
          e.preventDefault()
          setDragging(true)
        }}
        onDragLeave={() => setDragging(false)}
        onDrop={onDrop}
        data-testid="drop-zone"
      >
        <p>Drop files here, or</p>
        <FilePickerButton inputLabel="Add files" onPicked={(picked) => void app.addFiles(picked)}>
          Add files…
        </FilePickerButton>
      </div>
      {storageKept === false && (
        <p className="hint" data-testid="storage-not-kept">
          This browser has not promised to keep the library: it may clear it when space runs low (private windows always do when they
          close).
        </p>
      )}
      <LookupForm onFound={setHighlighted} />
      {imports.map((i) => (
        <div key={i.id} className="progress-row">
          <span>Adding {i.name}</span>
          <progress aria-label={`Adding ${i.name}`} value={i.bytes} max={Math.max(i.total, 1)} />
        </div>
      ))}
      {files.length === 0 ? (
        <p className="muted">No files yet.</p>
      ) : (
        <div className="table-scroll">
          <table aria-label="Files">
            <thead>
              <tr>
                <th scope="col">File</th>
                <th scope="col">Content ID</th>
                <th scope="col">Who may fetch</th>
                <th scope="col">Actions</th>
              </tr>
            </thead>
            <tbody>
              {files.map((f) => (
                <tr
                  key={f.cid}
                  data-testid="file-row"
                  data-cid={f.cid}
                  className={f.cid === highlighted ? 'highlighted' : undefined}
                  aria-current={f.cid === highlighted ? 'true' : undefined}
                >
                  <td className="file-name" data-label="File">
                    {f.name}
                    <div>
                      <small className="muted">
                        {formatBytes(f.size)} · {f.type || 'unknown type'} · added {formatDate(f.addedAt)}
                      </small>
                    </div>
                  </td>
                  <td data-label="Content ID">
                    <code title={f.cid}>{shortId(f.cid)}</code>
                    {f.sha256Hex !== undefined && (
                      <div>
                        <small className="muted" title={`SHA-256 ${f.sha256Hex}`}>
                          sha256 {shortId(f.sha256Hex)}
                        </small>
                      </div>
                    )}
                  </td>
                  <td data-label="Who may fetch">
                    <PrivacySelect
                      key={JSON.stringify(f.privacy)}
                      name={f.name}
                      privacy={f.privacy}
                      onChange={(p) => void app.setPrivacy(f.cid, p)}
                    />
                  </td>
                  <td data-label="Actions">
                    <div className="row-actions">
                      <button type="button" aria-label={`Preview ${f.name}`} onClick={() => setPreviewing(f)}>
                        Preview
                      </button>
                      <button type="button" aria-label={`Download ${f.name}`} onClick={() => void downloadFile(app, f)}>
                        Download
                      </button>
                      <button type="button" aria-label={`Share ${f.name}`} onClick={() => share(f)}>
                        Share
                      </button>
                      <button type="button" aria-label={`Delete ${f.name}`} onClick={() => void app.deleteFile(f.cid)}>
                        Delete
                      </button>
                      <PublishControl
                        name={f.name}
                        privacy={f.privacy}
                        pins={f.pins}
                        onPublish={() => void app.publish(f.cid)}
                        onUnpin={() => void app.unpin(f.cid)}
                      />
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {previewing !== undefined && <PreviewDialog file={previewing} onClose={() => setPreviewing(undefined)} />}
      {sharing !== undefined && shared !== undefined && (
        <ShareDialog file={shared} link={sharing.link} onClose={() => setSharing(undefined)} />
      )}
    </section>
  )
}
