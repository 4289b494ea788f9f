import type { AppDb } from './app-db.ts'

const OFFLINE = 'offline'

/** The offline switch survives a reload: a person who went offline stays offline until they say otherwise. */
export async function loadOffline(db: AppDb): Promise<boolean> {
  return (await db.get('settings', OFFLINE)) === 'true'
}

export async function saveOffline(db: AppDb, offline: boolean): Promise<void> {
  await db.put('settings', String(offline), OFFLINE)
}
