import { useEffect, useRef } from 'react'
import type { SpaceView } from '../app/spaces/space-view.ts'
import { useApp } from './app-context.ts'
import { formatDate, shortId } from './format.ts'
import { InviteSection } from './invite-section.tsx'
import { PrivacySelect } from './privacy-select.tsx'
import { SpaceLinkField } from './space-link-field.tsx'
import { LinkRoleSelect } from './link-role-select.tsx'
import { useAct } from './use-act.ts'
import { SpaceFiles } from './space-files.tsx'
import { SpaceNotes } from './space-notes.tsx'
import { SpaceEntries } from './space-entries.tsx'

const SYNC_WORDS = {
  me: '',
  'in-sync': 'in sync',
  'catching-up': 'catching up',
  sending: 'sending',
  waiting: 'offline',
  'never-synced': 'not synced yet',
} as const

/** One space: members and their sync state, who is here, notes, files and entries. */
export function SpaceDetail({ space, reveal, onRevealed }: { space: SpaceView; reveal: boolean; onRevealed: () => void }) {
  const app = useApp()
  const act = useAct()
  const heading = useRef<HTMLHeadingElement>(null)
  useEffect(() => {
    if (!reveal) return
    heading.current?.scrollIntoView({ block: 'start' })
    heading.current?.focus({ preventScroll: true })
    onRevealed()
  }, [reveal, onRevealed])
  return (
    <article className="space" aria-label={`Space ${space.name}`}>
      <h3 ref={heading} tabIndex={-1}>
        {space.name}
      </h3>
      <p className="hint">
        {space.role === 'owner'
          ? 'You own this space.'
          : space.canWrite
            ? 'You may read and write.'
            : 'You may read, not change, this space.'}{' '}
        {space.role !== 'owner' && (
          <>
            Owner:{' '}
            {space.members.find((m) => m.did === space.owner)?.name ?? (
              <code title={space.owner}>{shortId(space.owner.slice('did:key:'.length))}</code>
            )}
          </>
        )}
      </p>
      <section aria-label="Members">
        <h4>Members</h4>
        <ul className="members">
          {space.members.map((m) => (
            <li key={m.did} data-testid="member" data-did={m.did} data-sync={m.sync} data-link={m.link ?? ''}>
              <span className={m.online ? 'dot online' : 'dot'} aria-hidden="true" /> {m.name ?? shortId(m.did.slice('did:key:'.length))} (
              {m.role}){!m.me && <span> · {SYNC_WORDS[m.sync]}</span>}
              {m.link !== undefined && <span className="hint"> · {m.link === 'direct' ? 'direct' : 'through a relay'}</span>}
              {m.missing > 0 && <span data-testid="member-missing"> · {m.missing} changes still to receive</span>}
              {m.pending > 0 && <span> · {m.pending} changes not yet sent</span>}
              {m.lastSyncedAt !== undefined && !m.me && <span className="hint"> · last synced {formatDate(m.lastSyncedAt)}</span>}
              {space.role === 'owner' && !m.me && (
                <button type="button" className="danger" onClick={() => void app.spaces.membership.removeMember(space.id, m.did)}>
                  Remove
                </button>
              )}
            </li>
          ))}
        </ul>
      </section>
      <section aria-label="Here now">
        <h4>Here now</h4>
        {space.presence.length === 0 ? (
          <p className="hint">No one else is here.</p>
        ) : (
          <ul>
            {space.presence.map((p) => (
              <li key={p.did} data-testid="presence">
                <span className="dot" style={{ background: p.color }} aria-hidden="true" /> {p.name}
                {p.note !== undefined && (
                  <>
                    {' '}
                    — editing “{space.notes.find((n) => n.id === p.note)?.title ?? 'a note'}”{p.line !== undefined && <>, line {p.line}</>}
                  </>
                )}
              </li>
            ))}
          </ul>
        )}
      </section>
      <SpaceNotes space={space} />
      <SpaceFiles space={space} />
      <SpaceEntries space={space} />
      {space.role === 'owner' && (
        <>
          <InviteSection spaceId={space.id} />
          <section aria-label="Space link">
            <h4>The space link</h4>
            <label htmlFor={`space-privacy-${space.id}`}>Who may join {space.name} by its link</label>
            <PrivacySelect
              id={`space-privacy-${space.id}`}
              name={space.name}
              action="join"
              privacy={space.privacy}
              onChange={(p) => act(async () => await app.spaces.membership.setPrivacy(space.id, p))}
            />
            <LinkRoleSelect
              id={`link-role-${space.id}`}
              role={space.linkRole}
              onChange={(role) => act(async () => await app.spaces.membership.setPrivacy(space.id, space.privacy, role))}
            />
            <SpaceLinkField spaceId={space.id} />
          </section>
        </>
      )}
      <button type="button" className="danger" onClick={() => void app.spaces.leave(space.id)}>
        {space.role === 'owner' ? 'Delete this space here' : 'Leave this space'}
      </button>
    </article>
  )
}
