import { useState } from 'react'
import type { FileView } from '../app/library.ts'
import { useApp } from './app-context.ts'

type Choice = 'private-trusted' | 'private-acquaintance' | 'public' | 'restricted'

const LABELS: Record<Choice, string> = {
  'private-trusted': 'Private: trusted and above',
  'private-acquaintance': 'Private: acquaintances and above',
  public: 'Public: anyone',
  restricted: 'Restricted: named DIDs',
}

function choiceOf(file: FileView): Choice {
  if (file.privacy.class === 'public') return 'public'
  if (file.privacy.class === 'restricted') return 'restricted'
  return file.privacy.minLevel >= 70 ? 'private-trusted' : 'private-acquaintance'
}

/** Who may fetch a file from this browser. */
export function PrivacySelect({ file }: { file: FileView }) {
  const app = useApp()
  const [choice, setChoice] = useState<Choice>(choiceOf(file))
  const [dids, setDids] = useState(file.privacy.class === 'restricted' ? file.privacy.dids.join('\n') : '')

  const apply = (next: Choice, didText = dids): void => {
    setChoice(next)
    if (next === 'public') void app.setPrivacy(file.cid, { class: 'public' })
    if (next === 'private-trusted') void app.setPrivacy(file.cid, { class: 'private', minLevel: 70 })
    if (next === 'private-acquaintance') void app.setPrivacy(file.cid, { class: 'private', minLevel: 40 })
    if (next === 'restricted') {
      const list = didText.split(/\s+/).filter((d) => d !== '')
      void app.setPrivacy(file.cid, { class: 'restricted', dids: list })
    }
  }

  return (
    <div className="privacy">
      <select aria-label={`Who may fetch ${file.name}`} value={choice} onChange={(e) => apply(e.target.value as Choice)}>
        {(Object.keys(LABELS) as Choice[]).map((c) => (
          <option key={c} value={c}>
            {LABELS[c]}
          </option>
        ))}
      </select>
      {choice === 'restricted' && (
        <textarea
          aria-label={`DIDs allowed to fetch ${file.name}`}
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
