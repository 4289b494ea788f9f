import { createContext, useContext, useSyncExternalStore } from 'react'
import type { AppState, PeerApp } from '../app/peer-app.ts'

export const AppContext = createContext<PeerApp | undefined>(undefined)

export function useApp(): PeerApp {
  const app = useContext(AppContext)
  if (app === undefined) throw new Error('useApp outside <AppContext>')
  return app
}

/**
 * One part of the app's state: the component re-renders only when that part
 * is replaced, not on every change (a transfer's progress re-rendered the
 * whole app). Select a field as it is held, never a new object or array.
 */
export function useAppState<T>(select: (state: AppState) => T): T {
  const app = useApp()
  return useSyncExternalStore(app.state.subscribe, () => select(app.state.get()))
}
