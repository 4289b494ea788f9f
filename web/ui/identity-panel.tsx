import { useEffect, useState, type FormEvent } from 'react'
import { qrCodeDataUrl } from './qr-code.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'
import { saveText } from './save-file.ts'

export function IdentityPanel() {
  const app = useApp()
  const { identity } = useAppState()
  const [qr, setQr] = useState<string | undefined>()
  const [name, setName] = useState<string | undefined>()
  const [message, setMessage] = useState<string | undefined>()
  const [copied, setCopied] = useState(false)

  useEffect(() => {
    if (identity === undefined) return
    let live = true
    qrCodeDataUrl(identity.did, 180).then(
      (url) => live && setQr(url),
      (err: unknown) => live && setMessage(describeError(err)),
    )
    return () => {
      live = false
    }
  }, [identity])

  if (identity === undefined) return <p>Loading identity…</p>

  const saveName = (event: FormEvent): void => {
    event.preventDefault()
    app.identity.setDisplayName(name ?? identity.displayName).then(
      () => setMessage('Display name saved.'),
      (err: unknown) => setMessage(describeError(err)),
    )
  }

  return (
    <section className="panel" aria-labelledby="identity-heading">
      <h2 id="identity-heading">Identity</h2>
      <p>Your entries are signed with this DID. Its private key stays in this browser, except in a backup you export.</p>
      <div className="identity-row">
        <div>
          <label htmlFor="my-did">Your DID</label>
          <input id="my-did" readOnly value={identity.did} className="mono wide" onFocus={(e) => e.target.select()} />
          <button type="button" onClick={() => void navigator.clipboard.writeText(identity.did).then(() => setCopied(true))}>
            {copied ? 'Copied' : 'Copy DID'}
          </button>
          <form onSubmit={saveName} className="inline-form">
            <label htmlFor="display-name">Display name</label>
            <input id="display-name" value={name ?? identity.displayName} onChange={(e) => setName(e.target.value)} maxLength={64} />
            <button type="submit">Save name</button>
          </form>
          {message !== undefined && <p role="status">{message}</p>}
        </div>
        {qr !== undefined && <img src={qr} alt={`QR code of ${identity.did}`} width={180} height={180} />}
      </div>
      <BackupForms />
    </section>
  )
}

function BackupForms() {
  const app = useApp()
  const [exportPass, setExportPass] = useState('')
  const [importPass, setImportPass] = useState('')
  const [file, setFile] = useState<File | undefined>()
  const [status, setStatus] = useState<{ export?: string; import?: string }>({})
  const [busy, setBusy] = useState(false)

  const doExport = (event: FormEvent): void => {
    event.preventDefault()
    setBusy(true)
    app.identity
      .exportBackup(exportPass)
      .then((text) => {
        saveText(text, 'cas-disot-identity-backup.json', 'application/json')
        setStatus({ export: 'Backup saved. Keep the file and the passphrase apart.' })
        setExportPass('')
      })
      .catch((err: unknown) => setStatus({ export: describeError(err) }))
      .finally(() => setBusy(false))
  }

  const doImport = (event: FormEvent): void => {
    event.preventDefault()
    if (file === undefined) {
      setStatus({ import: 'Choose a backup file first.' })
      return
    }
    setBusy(true)
    file
      .text()
      .then(async (text) => await app.identity.importBackup(text, importPass))
      .then((view) => {
        setStatus({ import: `Restored ${view.did}.` })
        setImportPass('')
      })
      .catch((err: unknown) => setStatus({ import: describeError(err) }))
      .finally(() => setBusy(false))
  }

  return (
    <div className="backup">
      <form onSubmit={doExport}>
        <h3>Back up this identity</h3>
        <label htmlFor="export-pass">Passphrase for the backup</label>
        <input
          id="export-pass"
          type="password"
          value={exportPass}
          onChange={(e) => setExportPass(e.target.value)}
          autoComplete="new-password"
        />
        <button type="submit" disabled={busy}>
          Export backup
        </button>
        {status.export !== undefined && <p role="status">{status.export}</p>}
      </form>
      <form onSubmit={doImport}>
        <h3>Restore from a backup</h3>
        <p className="muted">This replaces the identity of this browser.</p>
        <label htmlFor="import-file">Backup file</label>
        <input id="import-file" type="file" accept="application/json,.json" onChange={(e) => setFile(e.target.files?.[0])} />
        <label htmlFor="import-pass">Passphrase of the backup</label>
        <input
          id="import-pass"
          type="password"
          value={importPass}
          onChange={(e) => setImportPass(e.target.value)}
          autoComplete="current-password"
        />
        <button type="submit" disabled={busy}>
          Restore identity
        </button>
        {status.import !== undefined && <p role="status">{status.import}</p>}
      </form>
      {busy && <p role="status">Working… (the key derivation takes a moment on purpose)</p>}
    </div>
  )
}
