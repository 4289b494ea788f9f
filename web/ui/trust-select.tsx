import { describeError } from '../app/describe-error.ts'
import { useApp, useAppState } from './app-context.ts'

const OPTIONS = [
  { level: 100, name: 'full' },
  { level: 70, name: 'trusted' },
  { level: 40, name: 'acquaintance' },
  { level: 20, name: 'unknown' },
  { level: 0, name: 'blocked' },
]

/** Trust, lower or block one DID. */
export function TrustSelect({ did, label }: { did: string; label: string }) {
  const app = useApp()
  // what it shows comes from the trust service: drawn again on every app change
  useAppState()
  const current = app.trust.explain(did)
  const value = OPTIONS.find((o) => o.name === current.step)?.level ?? 20
  return (
    <label className="inline-label">
      trust{' '}
      <select
        aria-label={`Trust in ${label}`}
        data-step={current.step}
        value={value}
        onChange={(e) => {
          app.trust.setTrust(did, Number(e.target.value)).catch((err: unknown) => app.reportError(describeError(err)))
        }}
      >
        {OPTIONS.map((o) => (
          <option key={o.name} value={o.level}>
            {o.name}
          </option>
        ))}
      </select>
    </label>
  )
}
