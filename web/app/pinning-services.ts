import { InvalidGatewayError, isLoopbackUrl } from '../fetch/gateway-session.ts'

/** Another pinning service the person added: its base URL, and its access token unless it is a relay like ours. */
export interface PinningService {
  url: string
  /** Absent: the service takes a token signed by this browser's DID, as the relay does. */
  token?: string
}

/** A line "URL [token]" as a service: https (plain http only on this machine), no credentials in the URL. */
export function parsePinningService(line: string): PinningService {
  const [text = '', token] = line.trim().split(/\s+/, 2)
  let url: URL
  try {
    url = new URL(text)
  } catch {
    throw new InvalidGatewayError(text, 'it is not a URL.')
  }
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && isLoopbackUrl(url.href)))
    throw new InvalidGatewayError(text, 'a pinning service must use https (plain http only for one on this machine).')
  if (url.username !== '' || url.password !== '') throw new InvalidGatewayError(text, 'put the access token after the URL, not in it.')
  return { url: `${url.origin}${url.pathname.replace(/\/+$/, '')}`, ...(token === undefined ? {} : { token }) }
}

/** The pinning services a published file goes to besides the relay, kept in settings. */
export class PinningServices {
  #list: PinningService[]
  readonly #save: (list: PinningService[]) => Promise<void>

  constructor(init: { saved: PinningService[] | undefined; save: (list: PinningService[]) => Promise<void> }) {
    this.#list = init.saved ?? []
    this.#save = init.save
  }

  list(): PinningService[] {
    return this.#list.map((s) => ({ ...s }))
  }

  async set(lines: string[]): Promise<PinningService[]> {
    const list = lines.filter((l) => l.trim() !== '').map(parsePinningService)
    await this.#save(list)
    this.#list = list
    return this.list()
  }
}
