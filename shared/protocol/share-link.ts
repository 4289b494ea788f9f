import { multiaddr } from '@multiformats/multiaddr'
import { WebRTC } from '@multiformats/multiaddr-matcher'
import { parseContentId } from '../cas/cid.ts'

/** What a share link carries: the content, how to name it, and where its holder listens. */
export interface ShareLink {
  cid: string
  name: string
  type: string
  size: number
  /** The holder's WebRTC multiaddr through its relay. */
  from: string
  /**
   * The holder made the content public: the receiver may also ask the relay's
   * gateway and public gateways for it. Without it, only the holder is asked.
   */
  public?: boolean
}

export class InvalidShareLinkError extends Error {
  static override name = 'InvalidShareLinkError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Invalid share link: ${detail}`, options)
    this.name = 'InvalidShareLinkError'
  }
}

const MAX_NAME_CHARS = 255

/**
 * `<app origin>/#share=1&cid=…&name=…&type=…&size=…&from=…`: a fragment, so the
 * link's contents never reach any web server, the relay included.
 */
export function formatShareLink(origin: string, link: ShareLink): string {
  const params = new URLSearchParams({
    share: '1',
    cid: link.cid,
    name: link.name,
    type: link.type,
    size: String(link.size),
    from: link.from,
    ...(link.public === true ? { pub: '1' } : {}),
  })
  return `${origin.replace(/\/$/, '')}/#${params.toString()}`
}

/** Parses and validates a share link (a whole URL or just its fragment); undefined when it is not one. */
export function parseShareLink(input: string): ShareLink | undefined {
  const params = fragmentParams(input)
  if (params.get('share') === null) return undefined
  if (params.get('share') !== '1') throw new InvalidShareLinkError(`unknown version ${params.get('share') ?? ''}`)
  const field = (key: string): string => {
    const value = params.get(key)
    if (value === null) throw new InvalidShareLinkError(`"${key}" is missing`)
    return value
  }
  const cid = field('cid')
  try {
    parseContentId(cid)
  } catch (err) {
    throw new InvalidShareLinkError('the content ID does not parse', { cause: err })
  }
  const size = Number(field('size'))
  if (!Number.isSafeInteger(size) || size < 0) throw new InvalidShareLinkError('the size is not a whole number')
  const from = field('from')
  if (!isWebRtcAddress(from)) throw new InvalidShareLinkError('the holder address is not a WebRTC multiaddr')
  const name = field('name').slice(0, MAX_NAME_CHARS).replace(/[\\/]/g, '_')
  return {
    cid: parseContentId(cid).toString(),
    name: name === '' ? 'unnamed' : name,
    type: params.get('type') ?? '',
    size,
    from,
    public: params.get('pub') === '1',
  }
}

/** Whether text is a WebRTC multiaddr ending in the holder's peer ID: what links may carry. */
export function isWebRtcAddress(text: string): boolean {
  try {
    const ma = multiaddr(text)
    return WebRTC.exactMatch(ma) && ma.getComponents().at(-1)?.name === 'p2p'
  } catch {
    return false
  }
}

/** The parameters of a link's fragment; `input` is a whole URL or just the fragment. */
export function fragmentParams(input: string): URLSearchParams {
  return new URLSearchParams(input.includes('#') ? input.slice(input.indexOf('#') + 1) : input)
}
