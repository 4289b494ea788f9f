import { checkGatewayUrl } from '../fetch/gateway-session.ts'

/**
 * The trustless gateways asked for public content, in order. By default the
 * relay that served the app, alone; the person may add public gateways, or
 * put another one first.
 */
export class GatewaySettings {
  #list: string[]
  readonly #save: (list: string[]) => Promise<void>

  constructor(init: { saved: string[] | undefined; relay: string; save: (list: string[]) => Promise<void> }) {
    this.#list = init.saved ?? [new URL(init.relay).origin]
    this.#save = init.save
  }

  list(): string[] {
    return [...this.#list]
  }

  /** Checks each URL (InvalidGatewayError), drops repeats, and keeps the list. */
  async set(urls: string[]): Promise<string[]> {
    const list = [...new Set(urls.filter((u) => u.trim() !== '').map(checkGatewayUrl))]
    await this.#save(list)
    this.#list = list
    return this.list()
  }
}
