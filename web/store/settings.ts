import type { PinningService } from '../app/pinning-services.ts'
import type { AppView, LinkToFetch } from '../app/peer-app.ts'
import type { AppDb } from './app-db.ts'

const OFFLINE = 'offline'

/** The offline switch survives a reload: a person who went offline stays offline until they say otherwise. */
export async function loadOffline(db: AppDb): Promise<boolean> {
  return (await db.get('settings', OFFLINE)) === 'true'
}

export async function saveOffline(db: AppDb, offline: boolean): Promise<void> {
  await db.put('settings', String(offline), OFFLINE)
}

/** A setting kept as JSON; undefined until first saved. */
async function loadJson<T>(db: AppDb, key: string): Promise<T | undefined> {
  const text = await db.get('settings', key)
  return typeof text === 'string' ? (JSON.parse(text) as T) : undefined
}

async function saveJson(db: AppDb, key: string, value: unknown): Promise<void> {
  await db.put('settings', JSON.stringify(value), key)
}

/** The trustless gateways asked for public content, in order; undefined until the person changes them. */
export async function loadGateways(db: AppDb): Promise<string[] | undefined> {
  return await loadJson<string[]>(db, 'gateways')
}

export async function saveGateways(db: AppDb, gateways: string[]): Promise<void> {
  await saveJson(db, 'gateways', gateways)
}

/** Other pinning services (URL and access token), kept only in this browser. */
export async function loadPinningServices(db: AppDb): Promise<PinningService[] | undefined> {
  return await loadJson<PinningService[]>(db, 'pinning-services')
}

export async function savePinningServices(db: AppDb, services: PinningService[]): Promise<void> {
  await saveJson(db, 'pinning-services', services)
}

/** Relays the person added (multiaddrs). */
export async function loadRelays(db: AppDb): Promise<string[] | undefined> {
  return await loadJson<string[]>(db, 'relays')
}

export async function saveRelays(db: AppDb, relays: string[]): Promise<void> {
  await saveJson(db, 'relays', relays)
}

/** The relay of the server that served the app, as last found: known again when that server is down at start. */
export async function loadServedRelay(db: AppDb): Promise<string | undefined> {
  return await loadJson<string>(db, 'served-relay')
}

export async function saveServedRelay(db: AppDb, relay: string): Promise<void> {
  await saveJson(db, 'served-relay', relay)
}

/** "Hide my address": direct links only through TURN servers. */
export async function loadTurnOnly(db: AppDb): Promise<boolean> {
  return (await db.get('settings', 'turn-only')) === 'true'
}

export async function saveTurnOnly(db: AppDb, turnOnly: boolean): Promise<void> {
  await db.put('settings', String(turnOnly), 'turn-only')
}

/** Whether the person closed the first-run welcome: it is shown until they do. */
export async function loadWelcomed(db: AppDb): Promise<boolean> {
  return (await db.get('settings', 'welcomed')) === 'true'
}

export async function saveWelcomed(db: AppDb): Promise<void> {
  await db.put('settings', 'true', 'welcomed')
}

/** Where the person was (tab, open space): the app opens there again. Anything not of that shape is ignored. */
export async function loadView(db: AppDb): Promise<AppView | undefined> {
  const text = await db.get('settings', 'view')
  if (typeof text !== 'string') return undefined
  try {
    const view = JSON.parse(text) as Partial<AppView> | null
    if (typeof view?.tab !== 'string' || !['string', 'undefined'].includes(typeof view.space)) return undefined
    return { tab: view.tab, ...(view.space === undefined ? {} : { space: view.space }) }
  } catch {
    return undefined
  }
}

export async function saveView(db: AppDb, view: AppView): Promise<void> {
  await saveJson(db, 'view', view)
}

/** Fetches under way when the page closed; an entry not of that shape is dropped. */
export async function loadUnfinishedFetches(db: AppDb): Promise<LinkToFetch[]> {
  const text = await db.get('settings', 'unfinished-fetches')
  if (typeof text !== 'string') return []
  try {
    const links = JSON.parse(text) as unknown
    return Array.isArray(links) ? links.filter(isLinkToFetch) : []
  } catch {
    // not JSON: nothing to take up
    return []
  }
}

export async function saveUnfinishedFetches(db: AppDb, links: LinkToFetch[]): Promise<void> {
  await saveJson(db, 'unfinished-fetches', links)
}

function isLinkToFetch(value: unknown): value is LinkToFetch {
  if (typeof value !== 'object' || value === null) return false
  const link = value as Record<string, unknown>
  return (
    typeof link.cid === 'string' &&
    typeof link.name === 'string' &&
    typeof link.type === 'string' &&
    typeof link.size === 'number' &&
    ['string', 'undefined'].includes(typeof link.from) &&
    ['boolean', 'undefined'].includes(typeof link.public)
  )
}
