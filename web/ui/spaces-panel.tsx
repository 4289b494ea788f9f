import { useState } from 'react'
import { useApp, useAppState } from './app-context.ts'
import { describeError } from '../app/describe-error.ts'
import { SpaceDetail } from './space-detail.tsx'
import { PrivacySelect } from './privacy-select.tsx'
import { LinkRoleSelect } from './link-role-select.tsx'
import { DEFAULT_PRIVACY, type Privacy } from '../app/peer-app.ts'

/** The spaces I own or was invited to; create one, open an invitation, pick one to work in. */
export function SpacesPanel({ selected, onSelect }: { selected: string | undefined; onSelect: (id: string) => void }) {
  const app = useApp()
  const { spaces } = useAppState()
  const [name, setName] = useState('')
  const [privacy, setPrivacy] = useState<Privacy>(DEFAULT_PRIVACY)
  const [linkRole, setLinkRole] = useState<'read' | 'write'>('read')
  const [link, setLink] = useState('')
  const [message, setMessage] = useState<string>()
  const space = spaces.find((s) => s.id === selected) ?? spaces[0]
  const join = async (): Promise<void> => {
    setMessage('Joining…')
    try {
      onSelect(await app.spaces.links.accept(link))
      setLink('')
      setMessage(undefined)
    } catch (err) {
      setMessage(describeError(err))
    }
  }
  return (
    <section className="panel spaces" aria-label="Spaces">
      <div className="row">
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void app.spaces.create(name, privacy, linkRole).then(onSelect)
            setName('')
          }}
        >
          <input aria-label="New space name" value={name} onChange={(e) => setName(e.target.value)} placeholder="New space" />
          <PrivacySelect name="the new space" privacy={privacy} onChange={setPrivacy} />
          <LinkRoleSelect role={linkRole} onChange={setLinkRole} />
          <button type="submit">Create space</button>
        </form>
        <form
          onSubmit={(e) => {
            e.preventDefault()
            void join()
          }}
        >
          <input
            aria-label="Invitation link"
            value={link}
            onChange={(e) => setLink(e.target.value)}
            placeholder="An invitation or space link"
          />
          <button type="submit">Join</button>
        </form>
      </div>
      {message !== undefined && <p role="status">{message}</p>}
      {spaces.length === 0 ? (
        <p className="hint">No spaces yet. Create one, or open an invitation someone sent you.</p>
      ) : (
        <nav aria-label="Your spaces" className="row">
          {spaces.map((s) => (
            <button key={s.id} type="button" aria-pressed={s.id === space?.id} onClick={() => onSelect(s.id)}>
              {s.name}
            </button>
          ))}
        </nav>
      )}
      {space !== undefined && <SpaceDetail key={space.id} space={space} />}
    </section>
  )
}
