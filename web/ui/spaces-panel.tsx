import { useEffect, useRef, useState } from 'react'
import { useApp, useAppState } from './app-context.ts'
import { describeError } from '../app/describe-error.ts'
import { SpaceDetail } from './space-detail.tsx'
import { PrivacySelect } from './privacy-select.tsx'
import { LinkRoleSelect } from './link-role-select.tsx'
import { preloadNoteEditor } from './space-notes.tsx'
import { DEFAULT_PRIVACY, type Privacy } from '../app/peer-app.ts'

/** The spaces I own or was invited to; create one, open an invitation, pick one to work in. */
export function SpacesPanel({
  selected,
  onSelect,
  onShow,
  reveal,
  onRevealed,
  startRequests,
}: {
  selected: string | undefined
  /** A space picked from the list. */
  onSelect: (id: string) => void
  /** A space just joined or started: selected, and brought into view. */
  onShow: (id: string) => void
  /** The space to bring into view once it shows, if any; onRevealed says it was. */
  reveal: string | undefined
  onRevealed: () => void
  /** Counts "Start a space" clicks elsewhere: each puts the cursor in the new space's name. */
  startRequests: number
}) {
  const app = useApp()
  const { spaces, spacesOpen } = useAppState()
  const [name, setName] = useState('')
  const [privacy, setPrivacy] = useState<Privacy>(DEFAULT_PRIVACY)
  const [linkRole, setLinkRole] = useState<'read' | 'write'>('read')
  const [link, setLink] = useState('')
  const [message, setMessage] = useState<string>()
  const nameField = useRef<HTMLInputElement>(null)
  useEffect(() => {
    if (startRequests > 0) nameField.current?.focus()
  }, [startRequests])
  const space = spaces.find((s) => s.id === selected) ?? spaces[0]
  const join = async (): Promise<void> => {
    setMessage('Joining…')
    void preloadNoteEditor()
    try {
      onShow(await app.spaces.links.accept(link))
      setLink('')
      setMessage(undefined)
    } catch (err) {
      setMessage(describeError(err))
    }
  }
  return (
    <section className="panel spaces" aria-label="Spaces">
      <div className="space-forms">
        <form
          className="create-space"
          aria-labelledby="create-space-heading"
          onSubmit={(e) => {
            e.preventDefault()
            app.spaces.create(name, privacy, linkRole).then(onShow, (err: unknown) => setMessage(describeError(err)))
            setName('')
          }}
        >
          <h3 id="create-space-heading">Start a space</h3>
          <p className="muted">Notes, files and entries you keep together with others; each member holds a copy and edits it live.</p>
          <label htmlFor="new-space-name">New space name</label>
          <input
            id="new-space-name"
            ref={nameField}
            value={name}
            onChange={(e) => setName(e.target.value)}
            placeholder="Trip, Reading group…"
          />
          <label htmlFor="new-space-privacy">Who may join the new space by its link</label>
          <PrivacySelect id="new-space-privacy" name="the new space" action="join" privacy={privacy} onChange={setPrivacy} />
          <p className="hint" data-testid="space-privacy-meaning">
            {joinMeaning(privacy)} You can always invite anyone by name.
          </p>
          <LinkRoleSelect id="new-space-link-role" role={linkRole} onChange={setLinkRole} />
          <p className="hint">
            {linkRole === 'read'
              ? 'They see the notes and files and follow the edits, but cannot change anything.'
              : 'They edit the notes and add files, like you.'}{' '}
            People you invite get the role you pick in the invitation.
          </p>
          <button type="submit">Create space</button>
        </form>
        <form
          aria-labelledby="join-space-heading"
          onSubmit={(e) => {
            e.preventDefault()
            void join()
          }}
        >
          <h3 id="join-space-heading">Join a space</h3>
          <label htmlFor="join-link">Invitation link or space link someone sent you</label>
          <input id="join-link" aria-label="Invitation link" value={link} onChange={(e) => setLink(e.target.value)} />
          <button type="submit">Join</button>
        </form>
      </div>
      {message !== undefined && <p role="status">{message}</p>}
      {!spacesOpen ? (
        <p className="hint">Opening your spaces…</p>
      ) : spaces.length === 0 ? (
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
      {space !== undefined && <SpaceDetail key={space.id} space={space} reveal={space.id === reveal} onRevealed={onRevealed} />}
    </section>
  )
}

/** What a space's privacy setting means for someone who opens its link, in words. */
function joinMeaning(privacy: Privacy): string {
  switch (privacy.class) {
    case 'public':
      return 'Anyone who opens the space link becomes a member.'
    case 'restricted':
      return 'Only the DIDs you list become members by opening the space link.'
    case 'private':
      return privacy.minLevel >= 70
        ? 'People you trust become members by opening the space link; anyone else is refused.'
        : 'People you trust, and people they vouch for, become members by opening the space link; anyone else is refused.'
  }
}
