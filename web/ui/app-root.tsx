import { useEffect } from 'react'
import type { PeerApp } from '../app/peer-app.ts'
import { describeError } from '../app/describe-error.ts'
import { AppContext, useApp, useAppState } from './app-context.ts'
import { NetworkPanel } from './network-panel.tsx'
import { LibraryPanel } from './library-panel.tsx'
import { TransfersPanel } from './transfers-panel.tsx'

export function AppRoot({ app }: { app: PeerApp }) {
  return (
    <AppContext.Provider value={app}>
      <Shell />
    </AppContext.Provider>
  )
}

/** Opening a share link (the URL fragment) starts the transfer. */
function useShareLinkInLocation(): void {
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
      void app.receive(link)
    }
    take()
    window.addEventListener('hashchange', take)
    return () => window.removeEventListener('hashchange', take)
  }, [app])
}

function Shell() {
  useShareLinkInLocation()
  const app = useApp()
  const { error } = useAppState()
  return (
    <div className="shell">
      <header>
        <h1>CAS/DISOT Peer</h1>
      </header>
      {error !== undefined && (
        <div className="error-banner" role="alert">
          <span>{error}</span>
          <button type="button" onClick={() => app.dismissError()}>
            Dismiss
          </button>
        </div>
      )}
      <main>
        <LibraryPanel />
        <TransfersPanel />
      </main>
      <NetworkPanel />
    </div>
  )
}
