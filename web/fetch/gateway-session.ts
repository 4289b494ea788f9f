import type { CID } from 'multiformats/cid'
import type { BlockSession } from '../net/block-exchange/index.ts'

/** The gateways the app asks for public content: its relay's first. */
export interface GatewayList {
  urls: string[]
  /** Plain http and private addresses allowed: only for a relay on loopback or the LAN. */
  allowLocal: boolean
}

/** The relay that served the app, as a gateway; plain http only when it is on this machine. */
export function relayGateways(origin: string): GatewayList {
  const host = new URL(origin).hostname
  return { urls: [origin], allowLocal: host === '127.0.0.1' || host === 'localhost' || host === '[::1]' }
}

/**
 * Blocks of one DAG from trustless gateways, through Helia (loaded on first
 * use, so it stays out of the first screen's code). Helia checks each block
 * against its CID; the caller's store checks it again as it keeps it.
 */
export async function openGatewaySession(root: CID, gateways: GatewayList): Promise<BlockSession> {
  const { createGatewayHelia } = await import('../../shared/cas/gateway-helia.ts')
  const helia = await createGatewayHelia({ gateways: gateways.urls, allowLocal: gateways.allowLocal })
  const session = helia.blockstore.createSession(root)
  return {
    async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
      const parts: Uint8Array[] = []
      for await (const part of session.get(cid, options)) parts.push(part)
      // Helia keeps what it fetched in memory; the caller keeps it in IndexedDB
      await helia.blockstore.delete(cid)
      return parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts)
    },
    async close(): Promise<void> {
      await helia.stop()
    },
  }
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0))
  let offset = 0
  for (const part of parts) {
    out.set(part, offset)
    offset += part.byteLength
  }
  return out
}
