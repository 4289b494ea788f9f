import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'

export interface RelayLookup {
  relay: Multiaddr | undefined
  error: string | undefined
}

/** Asks the server that served the app where its relay listens (GET /multiaddrs, same origin). */
export async function findRelay(origin: string, options: { signal?: AbortSignal } = {}): Promise<RelayLookup> {
  try {
    const response = await fetch(new URL('/multiaddrs', origin), { signal: options.signal ?? AbortSignal.timeout(5_000) })
    if (!response.ok)
      return { relay: undefined, error: `The server that served this app answered ${response.status} when asked for its relay.` }
    const body = (await response.json()) as { multiaddrs?: unknown }
    const first = Array.isArray(body.multiaddrs) ? body.multiaddrs.find((m): m is string => typeof m === 'string') : undefined
    if (first === undefined) return { relay: undefined, error: 'The relay listed no address to reach it by.' }
    return { relay: multiaddr(first), error: undefined }
  } catch (err) {
    const detail = err instanceof Error ? ` (${err.name}: ${err.message})` : ''
    return { relay: undefined, error: `No relay could be reached: the server that served this app is not answering${detail}.` }
  }
}
