import { useState, type FormEvent } from 'react'
import { describeError } from '../app/describe-error.ts'
import type { FileView } from '../app/library.ts'
import { useApp, useAppState } from './app-context.ts'
import { FilePickerButton } from './file-picker-button.tsx'
import { ShareDialog } from './share-dialog.tsx'

/**
 * The first run: what the app is for, a name others see, and the three
 * things to do first, each one click away. Shown until the person closes it.
 * Someone who came by a link to join a space is asked for the name only: the
 * space is what they came for.
 */
export function Welcome({ joining, onFilesAdded, onStartSpace }: { joining: boolean; onFilesAdded: () => void; onStartSpace: () => void }) {
  const app = useApp()
  const { identity, files } = useAppState()
  const [name, setName] = useState<string>()
  const [message, setMessage] = useState<string>()
  const [sharing, setSharing] = useState<{ file: FileView; link: string }>()
  const newest = files.reduce<FileView | undefined>((a, f) => (a === undefined || f.addedAt > a.addedAt ? f : a), undefined)
  // the file as it is now: making it public from the dialog shows at once
  const shared = sharing === undefined ? undefined : files.find((f) => f.cid === sharing.file.cid)

  const saveName = (event: FormEvent): void => {
    event.preventDefault()
    const chosen = (name ?? identity?.displayName ?? '').trim()
    app.identity.setDisplayName(chosen).then(
      () => setMessage(chosen === '' ? 'Others see you by your DID.' : `Others now see you as ${chosen}.`),
      (err: unknown) => setMessage(describeError(err)),
    )
  }

  const share = (file: FileView): void => {
    try {
      setSharing({ file, link: app.shareLink(file.cid) })
    } catch (err) {
      setMessage(describeError(err))
    }
  }

  return (
    <section className="panel welcome" aria-labelledby="welcome-heading">
      <h2 id="welcome-heading">Welcome</h2>
      {joining ? (
        <p>You are joining a space someone shared with you. Its members see you by the name you give here.</p>
      ) : (
        <p>
          This app keeps your files, notes and signed entries in this browser and shares them directly with the people you choose. There is
          no account, and it keeps working offline.
        </p>
      )}
      <form onSubmit={saveName} className="inline-form">
        <label htmlFor="welcome-name">Your name, as others will see it</label>
        <input id="welcome-name" value={name ?? identity?.displayName ?? ''} onChange={(e) => setName(e.target.value)} maxLength={64} />
        <button type="submit">Save my name</button>
      </form>
      {message !== undefined && <p role="status">{message}</p>}
      {!joining && <FirstSteps newest={newest} onFilesAdded={onFilesAdded} onStartSpace={onStartSpace} onShare={share} />}
      <button type="button" onClick={() => void app.finishWelcome()}>
        Got it, hide this
      </button>
      {sharing !== undefined && shared !== undefined && (
        <ShareDialog file={shared} link={sharing.link} onClose={() => setSharing(undefined)} />
      )}
    </section>
  )
}

/** The three things to do first, each one click away. */
function FirstSteps({
  newest,
  onFilesAdded,
  onStartSpace,
  onShare,
}: {
  newest: FileView | undefined
  onFilesAdded: () => void
  onStartSpace: () => void
  onShare: (file: FileView) => void
}) {
  const app = useApp()
  return (
    <>
      <h3>Things to do first</h3>
      <ol className="first-steps">
        <li>
          <FilePickerButton
            inputLabel="Choose a first file"
            onPicked={(picked) => {
              onFilesAdded()
              void app.addFiles(picked)
            }}
          >
            Add a file…
          </FilePickerButton>{' '}
          <span className="muted">It stays in this browser, under its content ID.</span>
        </li>
        <li>
          <button type="button" disabled={newest === undefined} onClick={() => newest !== undefined && onShare(newest)}>
            Share a file
          </button>{' '}
          <span className="muted">
            {newest === undefined ? 'Add a file first.' : `${newest.name}: a link to send, and you choose who may open it.`}
          </span>
        </li>
        <li>
          <button type="button" onClick={onStartSpace}>
            Start a space
          </button>{' '}
          <span className="muted">Notes and files you edit together with others, live.</span>
        </li>
      </ol>
    </>
  )
}
