import { useState } from 'react'
import type { Privacy } from '../app/peer-app.ts'

type Choice = 'private-trusted' | 'private-acquaintance' | 'public' | 'restricted'

const LABELS: Record<Choice, string> = {
  'private-trusted': 'Private: trusted and above',
  'private-acquaintance': 'Private: acquaintances and above',
  public: 'Public: anyone',
  restricted: 'Restricted: named DIDs',
}

function choiceOf(privacy: Privacy): Choice {
  if (privacy.class === 'public') return 'public'
  if (privacy.class === 'restricted') return 'restricted'
  return privacy.minLevel >= 70 ? 'private-trusted' : 'private-acquaintance'
}

/** Who may fetch something (a file, an entry) from this browser. */
export function PrivacySelect({
  id,
  name,
  action = 'fetch',
  privacy,
  onChange,
}: {
  /** For a visible label elsewhere; the select's own name says the same. */
  id?: string
  name: string
  /** What the setting lets people do: fetch a file or entry, join a space. */
  action?: 'fetch' | 'join'
  privacy: Privacy
  onChange: (privacy: Privacy) => void
}) {
  const [choice, setChoice] = useState<Choice>(choiceOf(privacy))
  const [dids, setDids] = useState(privacy.class === 'restricted' ? privacy.dids.join('\n') : '')

  const apply = (next: Choice, didText = dids): void => {
    setChoice(next)
    if (next === 'public') onChange({ class: 'public' })
    if (next === 'private-trusted') onChange({ class: 'private', minLevel: 70 })
    if (next === 'private-acquaintance') onChange({ class: 'private', minLevel: 40 })
    if (next === 'restricted') onChange({ class: 'restricted', dids: didText.split(/\s+/).filter((d) => d !== '') })
  }

  return (
    <div className="privacy">
      <select id={id} aria-label={`Who may ${action} ${name}`} value={choice} onChange={(e) => apply(e.target.value as Choice)}>
        {(Object.keys(LABELS) as Choice[]).map((c) => (
          <option key={c} value={c}>
            {LABELS[c]}
          </option>
        ))}
      </select>
      {choice === 'restricted' && (
        <textarea
          aria-label={`DIDs allowed to ${action} ${name}`}
          placeholder="one did:key per line"
          rows={2}
          value={dids}
          onChange={(e) => setDids(e.target.value)}
          onBlur={() => apply('restricted')}
        />
      )}
    </div>
  )
}
