import { useEffect, useState } from 'react'
import type { EntryView, VersionHistory } from '../app/entries-service.ts'
import { describeError } from '../app/describe-error.ts'
import { useApp } from './app-context.ts'
import { Dialog } from './dialog.tsx'
import { formatDate, shortId } from './format.ts'

/** The version tree around an entry: every version from the first, forks marked. */
export function EntryHistory({ entry, onClose }: { entry: EntryView; onClose: () => void }) {
  const app = useApp()
  const [history, setHistory] = useState<VersionHistory | { error: string } | undefined>()
  useEffect(() => {
    app.entries.history(entry.cid).then(setHistory, (err: unknown) => setHistory({ error: describeError(err) }))
  }, [app, entry.cid])

  return (
    <Dialog title={`History of ${entry.entry.title}`} onClose={onClose}>
      {history === undefined && <p>Loading…</p>}
      {history !== undefined && 'error' in history && <p role="alert">{history.error}</p>}
      {history !== undefined && 'nodes' in history && (
        <>
          {history.missingPrev !== undefined && (
            <p className="muted">An earlier version ({shortId(history.missingPrev)}) is not stored here.</p>
          )}
          {history.forks.length > 0 && (
            <p role="note" className="fork-note">
              This history forks: {history.forks.length === 1 ? 'one version has' : `${history.forks.length} versions have`} more than one
              next version.
            </p>
          )}
          <ol className="history" aria-label="Versions">
            <VersionItem history={history} cid={history.root} current={entry.cid} />
          </ol>
        </>
      )}
    </Dialog>
  )
}

function VersionItem({ history, cid, current }: { history: VersionHistory; cid: string; current: string }) {
  const node = history.nodes.get(cid)
  if (node === undefined) return null
  const { entry } = node.entry
  const fork = node.children.length > 1
  return (
    <li data-testid="version" data-cid={cid} aria-current={cid === current ? 'true' : undefined}>
      <strong>{entry.title}</strong>
      {entry.meta?.version && <span> v{entry.meta.version}</span>} <small className="muted">{formatDate(entry.signedAt * 1000)}</small>
      {entry.meta?.changes && <div className="muted">{entry.meta.changes}</div>}
      {fork && (
        <span className="badge warn" data-testid="fork">
          fork: {node.children.length} next versions
        </span>
      )}
      {node.children.length > 0 && (
        <ol>
          {node.children.map((child) => (
            <VersionItem key={child} history={history} cid={child} current={current} />
          ))}
        </ol>
      )}
    </li>
  )
}
