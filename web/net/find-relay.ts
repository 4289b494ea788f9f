import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { asError } from '../../shared/errors.ts'

export interface RelayLookup {
  relay: Multiaddr | undefined
  error: string | undefined
}

/** Asks the server that served the app where its relay listens (GET /multiaddrs, same origin). */
export async function findRelay(origin: string, options: { signal?: AbortSignal } = {}): Promise<RelayLookup> {
  try {
    const response = await fetch(new URL('/multiaddrs', origin), { signal: options.signal ?? AbortSignal.timeout(5_000) })
    if (!response.ok) return { relay: undefined, error: `the relay answered ${response.status}` }
    const body = (await response.json()) as { multiaddrs?: unknown }
    const first = Array.isArray(body.multiaddrs) ? body.multiaddrs.find((m): m is string => typeof m === 'string') : undefined
    if (first === undefined) return { relay: undefined, error: 'the relay listed no address' }
    return { relay: multiaddr(first), error: undefined }
  } catch (err) {
    return { relay: undefined, error: `no relay reachable (${asError(err).message})` }
  }
}
