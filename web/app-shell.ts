import { registerSW } from 'virtual:pwa-register'
import type { AppUpdates } from './app/app-updates.ts'
import { logOf } from '../shared/log.ts'

const log = logOf('app-shell')

/** A running page asks for a new version this often (a reload asks too). */
const UPDATE_CHECK_MS = 60 * 60_000

/**
 * Registers the service worker that keeps the built app (vite-plugin-pwa,
 * Workbox precache): after one visit the app starts without a network. A new
 * version is only offered through `updates`; the person applies it.
 */
export function registerAppShell(updates: AppUpdates): void {
  if (!('serviceWorker' in navigator)) return
  const update = registerSW({
    onNeedRefresh: () => updates.offer(),
    onOfflineReady: () => updates.keptOffline(),
    onRegisteredSW: (_url, registration) => {
      if (registration === undefined) return
      setInterval(() => {
        registration.update().catch((err: unknown) => log('checking for a new version failed: %e', err))
      }, UPDATE_CHECK_MS)
    },
    onRegisterError: (err: unknown) => log('the app could not be kept for offline use: %e', err),
  })
  updates.applyWith(async () => await update(true))
}
