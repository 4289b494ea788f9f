import { useCallback, useEffect, useState } from 'react'
import type { PeerApp } from '../app/peer-app.ts'
import { describeError } from '../app/describe-error.ts'
import { AppContext, useApp, useAppState } from './app-context.ts'
import { NetworkPanel } from './network-panel.tsx'
import { NetworkIndicator } from './network-indicator.tsx'
import { shortId } from './format.ts'
import { LibraryPanel } from './library-panel.tsx'
import { TransfersPanel } from './transfers-panel.tsx'
import { EntriesPanel } from './entries-panel.tsx'
import { VerifyPanel } from './verify-panel.tsx'
import { IdentityPanel } from './identity-panel.tsx'
import { TrustPanel } from './trust-panel.tsx'
import { SpacesPanel } from './spaces-panel.tsx'
import { preloadNoteEditor } from './space-notes.tsx'
import { Welcome } from './welcome.tsx'

export function AppRoot({ app }: { app: PeerApp }) {
  return (
    <AppContext.Provider value={app}>
      <Shell />
    </AppContext.Provider>
  )
}

/** Opening a share link (the URL fragment) starts the transfer and shows it. */
function useShareLinkInLocation(show: () => void): void {
  const app = useApp()
  useEffect(() => {
    const take = (): void => {
      let link
      try {
        link = app.parseShareLink(location.hash)
      } catch (err) {
        app.reportError(describeError(err))
        return
      }
      if (link === undefined) return
      history.replaceState(null, '', location.pathname + location.search)
      show()
      void app.fetchLink(link)
    }
    take()
    window.addEventListener('hashchange', take)
    return () => window.removeEventListener('hashchange', take)
  }, [app, show])
}

/** Whether the address is an invitation or a space link. */
function isJoinLinkInLocation(): boolean {
  const params = new URLSearchParams(location.hash.slice(1))
  return params.has('invite') || params.has('space')
}

/** Opening an invitation or space link joins the space and shows it; a refusal is said in words. */
function useInviteLinkInLocation(show: (spaceId: string) => void): void {
  const app = useApp()
  useEffect(() => {
    const take = (): void => {
      if (!isJoinLinkInLocation()) return
      const link = location.href
      history.replaceState(null, '', location.pathname + location.search)
      // the space shows once joined: its editor loads meanwhile, not after
      void preloadNoteEditor()
      app.reportError('Joining the space…')
      app.spaces.links.accept(link).then(
        (id) => {
          app.dismissError()
          show(id)
        },
        (err: unknown) => app.reportError(describeError(err)),
      )
    }
    take()
    window.addEventListener('hashchange', take)
    return () => window.removeEventListener('hashchange', take)
  }, [app, show])
}

const TABS = [
  { id: 'library', label: 'Library' },
  { id: 'spaces', label: 'Spaces' },
  { id: 'entries', label: 'Entries' },
  { id: 'verify', label: 'Verify' },
  { id: 'trust', label: 'Trust' },
  { id: 'identity', label: 'Identity' },
] as const
type TabId = (typeof TABS)[number]['id']

function isTab(id: string | undefined): id is TabId {
  return TABS.some((t) => t.id === id)
}

function Shell() {
  const app = useApp()
  const { error, identity, update, welcome } = useAppState()
  // the app opens where the person last was
  const [tab, setTab] = useState<TabId>(() => {
    const last = app.lastView()?.tab
    return isTab(last) ? last : 'library'
  })
  const [space, setSpace] = useState(() => app.lastView()?.space)
  useEffect(() => app.rememberView({ tab, ...(space === undefined ? {} : { space }) }), [app, tab, space])
  useShareLinkInLocation(useCallback(() => setTab('library'), []))
  // "Start a space" from the welcome puts the cursor in the new space's name
  const [startSpace, setStartSpace] = useState(0)
  // a space just joined or started is brought into view: on a narrow screen it sits below the forms
  const [reveal, setReveal] = useState<string>()
  const showSpace = useCallback((id: string) => {
    setSpace(id)
    setTab('spaces')
    setReveal(id)
  }, [])
  const revealed = useCallback(() => setReveal(undefined), [])
  // someone who came to join a space is shown the welcome's name field only, not its first steps
  const [cameToJoin] = useState(isJoinLinkInLocation)
  useInviteLinkInLocation(showSpace)
  return (
    <div className="shell">
      <header>
        <h1>CAS/DISOT Peer</h1>
        <NetworkIndicator />
        {identity !== undefined && (
          <p className="who" title={identity.did}>
            {identity.displayName || 'You'} · <code>{shortId(identity.did.slice('did:key:'.length))}</code>
          </p>
        )}
      </header>
      {update.ready && (
        <div className="update-banner" role="status">
          <span>A new version of the app is ready. Reloading takes it; what you typed is kept.</span>
          <button type="button" onClick={() => void app.applyUpdate()}>
            Reload to update
          </button>
        </div>
      )}
      {error !== undefined && (
        <div className="error-banner" role="alert">
          <span>{error}</span>
          <button type="button" onClick={() => app.dismissError()}>
            Dismiss
          </button>
        </div>
      )}
      <main>
        {welcome && (
          <Welcome
            joining={cameToJoin}
            onFilesAdded={() => setTab('library')}
            onStartSpace={() => {
              setStartSpace((n) => n + 1)
              setTab('spaces')
            }}
          />
        )}
        <nav role="tablist" aria-label="Views" className="tabs">
          {TABS.map((t) => (
            <button
              key={t.id}
              type="button"
              role="tab"
              aria-selected={tab === t.id}
              aria-controls={`view-${t.id}`}
              onClick={() => setTab(t.id)}
            >
              {t.label}
            </button>
          ))}
        </nav>
        <div role="tabpanel" id={`view-${tab}`} aria-label={TABS.find((t) => t.id === tab)?.label}>
          {tab === 'library' && (
            <>
              <LibraryPanel />
              <TransfersPanel />
            </>
          )}
          {tab === 'spaces' && (
            <SpacesPanel
              selected={space}
              onSelect={setSpace}
              onShow={showSpace}
              reveal={reveal}
              onRevealed={revealed}
              startRequests={startSpace}
            />
          )}
          {tab === 'entries' && <EntriesPanel />}
          {tab === 'verify' && <VerifyPanel />}
          {tab === 'trust' && <TrustPanel />}
          {tab === 'identity' && <IdentityPanel />}
        </div>
      </main>
      <NetworkPanel />
    </div>
  )
}
