import type { PinningService } from '../app/pinning-services.ts'
import type { AppDb } from './app-db.ts'

const OFFLINE = 'offline'

/** The offline switch survives a reload: a person who went offline stays offline until they say otherwise. */
export async function loadOffline(db: AppDb): Promise<boolean> {
  return (await db.get('settings', OFFLINE)) === 'true'
}

export async function saveOffline(db: AppDb, offline: boolean): Promise<void> {
  await db.put('settings', String(offline), OFFLINE)
}

const GATEWAYS = 'gateways'

/** The trustless gateways asked for public content, in order; undefined until the person changes them. */
export async function loadGateways(db: AppDb): Promise<string[] | undefined> {
  const text = await db.get('settings', GATEWAYS)
  return typeof text === 'string' ? (JSON.parse(text) as string[]) : undefined
}

export async function saveGateways(db: AppDb, gateways: string[]): Promise<void> {
  await db.put('settings', JSON.stringify(gateways), GATEWAYS)
}

const PINNING_SERVICES = 'pinning-services'

/** Other pinning services (URL and access token), kept only in this browser. */
export async function loadPinningServices(db: AppDb): Promise<PinningService[] | undefined> {
  const text = await db.get('settings', PINNING_SERVICES)
  return typeof text === 'string' ? (JSON.parse(text) as PinningService[]) : undefined
}

export async function savePinningServices(db: AppDb, services: PinningService[]): Promise<void> {
  await db.put('settings', JSON.stringify(services), PINNING_SERVICES)
}
