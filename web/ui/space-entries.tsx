import type { SpaceView } from '../app/spaces/space-view.ts'
import { useApp, useAppState } from './app-context.ts'
import { useAct } from './use-act.ts'

/** A space's entries, each checked on arrival; writers add their own or take them out. */
export function SpaceEntries({ space }: { space: SpaceView }) {
  const app = useApp()
  const act = useAct()
  const { entries } = useAppState()
  return (
    <section aria-label="Space entries">
      <h4>Entries</h4>
      {space.entries.length === 0 && <p className="hint">No entries in this space yet.</p>}
      <ul>
        {space.entries.map((e) => (
          <li key={e.cid} data-testid="space-entry">
            {e.error !== undefined ? `refused: ${e.error}` : (e.title ?? 'checking…')}{' '}
            {space.canWrite && (
              <button
                type="button"
                aria-label={`Take ${e.title ?? e.cid} out of the space`}
                onClick={() => act(() => app.spaces.edits.removeEntry(space.id, e.cid))}
              >
                Take out
              </button>
            )}
          </li>
        ))}
      </ul>
      {space.canWrite && entries.length > 0 && (
        <select
          aria-label="Add an entry"
          value=""
          onChange={(e) => {
            const entry = entries.find((x) => x.cid === e.target.value)
            if (entry !== undefined) act(() => app.spaces.edits.addEntry(space.id, entry.cid, entry.jws))
          }}
        >
          <option value="">Add one of your entries…</option>
          {entries.map((x) => (
            <option key={x.cid} value={x.cid}>
              {x.entry.title}
            </option>
          ))}
        </select>
      )}
    </section>
  )
}
