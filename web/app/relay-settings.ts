import { multiaddr, type Multiaddr } from '@multiformats/multiaddr'
import { WebSockets, WebSocketsSecure } from '@multiformats/multiaddr-matcher'
import type { RelayLookup } from '../net/find-relay.ts'

/** A relay address the person gave that cannot be used, and why. */
export class InvalidRelayError extends Error {
  static override name = 'InvalidRelayError'
  constructor(input: string, why: string) {
    super(`“${input.slice(0, 120)}” is not a relay this app can use: ${why}`)
    this.name = 'InvalidRelayError'
  }
}

export interface RelaySettingsInit {
  saved: string[] | undefined
  save: (list: string[]) => Promise<void>
  /** Asks a relay's web address for its libp2p address (GET /multiaddrs). */
  lookup: (url: string) => Promise<RelayLookup>
}

/**
 * The relays the person added, besides the one that served the app and the
 * build's: each kept as its multiaddr. A relay may be given by its web
 * address (https://relay.example) or by its multiaddr.
 */
export class RelaySettings {
  #list: string[]
  readonly #init: RelaySettingsInit

  constructor(init: RelaySettingsInit) {
    this.#init = init
    this.#list = (init.saved ?? []).filter((a) => parseRelayAddress(a) !== undefined)
  }

  list(): Multiaddr[] {
    return this.#list.map((a) => multiaddr(a))
  }

  /** Resolves and keeps a relay; throws InvalidRelayError in words when it cannot be used. */
  async add(input: string): Promise<Multiaddr> {
    const text = input.trim()
    const address = text.startsWith('/') ? checkedRelayAddress(text) : await this.#resolve(text)
    if (!this.#list.includes(address.toString())) {
      const list = [...this.#list, address.toString()]
      await this.#init.save(list)
      this.#list = list
    }
    return address
  }

  async remove(address: string): Promise<void> {
    const list = this.#list.filter((a) => a !== address)
    await this.#init.save(list)
    this.#list = list
  }

  async #resolve(text: string): Promise<Multiaddr> {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      throw new InvalidRelayError(text, 'give its web address (https://…) or its multiaddr (/dns/…/wss/p2p/…).')
    }
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new InvalidRelayError(text, 'its web address must be http or https.')
    const { relay, error } = await this.#init.lookup(url.origin)
    if (relay === undefined) throw new InvalidRelayError(text, error ?? 'it listed no address.')
    return checkedRelayAddress(relay.toString())
  }
}

/** A relay multiaddr: WebSockets (ws or wss) ending in the relay's /p2p/ peer ID. */
export function parseRelayAddress(text: string): Multiaddr | undefined {
  try {
    const ma = multiaddr(text)
    const last = ma.getComponents().at(-1)
    return (WebSockets.matches(ma) || WebSocketsSecure.matches(ma)) && last?.name === 'p2p' ? ma : undefined
  } catch {
    return undefined
  }
}

function checkedRelayAddress(text: string): Multiaddr {
  const ma = parseRelayAddress(text)
  if (ma === undefined)
    throw new InvalidRelayError(text, 'a relay is reached over WebSockets, and its address ends in /p2p/ and its peer ID.')
  return ma
}

/** The build's relays (VITE_RELAYS, comma-separated multiaddrs): a malformed one is the build's mistake, and stops the app. */
export function configuredRelays(text: string | undefined): Multiaddr[] {
  return (text ?? '')
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '')
    .map(checkedRelayAddress)
}
