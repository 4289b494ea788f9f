import type { CID } from 'multiformats/cid'
import type { BlockSession } from '../net/block-exchange/index.ts'
import { BlockNotFoundError, CidMismatchError, StorageFullError } from '../../shared/cas/errors.ts'
import { timeoutOr } from '../../shared/abort.ts'
import { asHeliaBlockstore, type BlockStore } from '../../shared/cas/blocks.ts'

/** Whether a gateway is on this machine: the only place plain http is allowed for one. */
export function isLoopbackUrl(url: string): boolean {
  const host = new URL(url).hostname
  return host === '127.0.0.1' || host === 'localhost' || host === '[::1]' || host.startsWith('127.')
}

export class InvalidGatewayError extends Error {
  static override name = 'InvalidGatewayError'
  constructor(url: string, why: string) {
    super(`“${url.slice(0, 120)}” cannot be a gateway: ${why}`)
    this.name = 'InvalidGatewayError'
  }
}

/** A gateway URL as kept in settings: https, or http on this machine; no path, query or credentials. */
export function checkGatewayUrl(text: string): string {
  let url: URL
  try {
    url = new URL(text.trim())
  } catch {
    throw new InvalidGatewayError(text, 'it is not a URL.')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url.href)))
    throw new InvalidGatewayError(text, 'it must use https (plain http only for one on this machine).')
  if (url.username !== '' || url.password !== '') throw new InvalidGatewayError(text, 'it must not carry a user name or password.')
  return url.origin
}

/** How long one block may take from a gateway. */
const BLOCK_TIMEOUT_MS = 30_000

/**
 * Blocks from a trustless gateway, through Helia (loaded on first use, so it
 * stays out of the first screen's code). Helia checks each block against its
 * CID and keeps it in the app's own verifying store, which checks it again.
 */
export async function openGatewaySession(url: string, store: BlockStore): Promise<BlockSession> {
  const { createGatewayHelia } = await import('../../shared/cas/gateway-helia.ts')
  const helia = await createGatewayHelia({ gateways: [url], allowLocal: isLoopbackUrl(url), blockstore: asHeliaBlockstore(store) })
  // blocks one by one, not through a Helia session: a session that meets a
  // gateway sending bad bytes keeps looking for other providers, and hangs
  return {
    stores: true,
    async get(cid: CID, options: { signal?: AbortSignal } = {}): Promise<Uint8Array> {
      const parts: Uint8Array[] = []
      // Helia reports a block that failed its hash check only as "unable to fetch";
      // a block that arrived and still failed was one whose bytes did not match
      let arrived = false
      const onProgress = (event: { type: string }): void => {
        if (event.type === 'helia:block-broker:receive-block') arrived = true
      }
      try {
        const signal = timeoutOr(BLOCK_TIMEOUT_MS, options.signal)
        for await (const part of helia.blockstore.get(cid, { signal, onProgress })) parts.push(part)
      } catch (err) {
        // the store's own refusals (full, say) are what they say
        if (arrived && options.signal?.aborted !== true && !isStoreError(err)) throw new CidMismatchError(cid.toString())
        if (answeredNotFound(err)) throw new BlockNotFoundError(cid.toString())
        throw err
      }
      return parts.length === 1 ? (parts[0] as Uint8Array) : concat(parts)
    },
    async close(): Promise<void> {
      await helia.stop()
    },
  }
}

/** Helia's failure when the gateway answered 404: it does not hold the block, which is an answer, not a fault. */
function answeredNotFound(err: unknown): boolean {
  if (err instanceof AggregateError) return err.errors.length > 0 && err.errors.every(answeredNotFound)
  return err instanceof Error && /\breceived 404\b/.test(err.message)
}

function isStoreError(err: unknown): boolean {
  return err instanceof StorageFullError || err instanceof CidMismatchError
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
