import { createContext, useContext, useSyncExternalStore } from 'react'
import type { AppState, PeerApp } from '../app/peer-app.ts'

export const AppContext = createContext<PeerApp | undefined>(undefined)

export function useApp(): PeerApp {
  const app = useContext(AppContext)
  if (app === undefined) throw new Error('useApp outside <AppContext>')
  return app
}

export function useAppState(): AppState {
  const app = useApp()
  return useSyncExternalStore(app.state.subscribe, app.state.get)
}
