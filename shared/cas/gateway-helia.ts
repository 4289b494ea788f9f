import { createHeliaLight, type Helia } from 'helia'
import { trustlessGatewayBlockBroker } from '@helia/trustless-gateway-client'
import { fallbackRouter } from '@helia/fallback-router'
import type { Routing } from '@helia/interface'
import type { Blockstore } from 'interface-blockstore'

export interface GatewayHeliaInit {
  /** Trustless gateways, first tried first. */
  gateways: string[]
  /** Allow plain-http and private-address gateways: only for a relay on loopback or the LAN. */
  allowLocal?: boolean
  /** Where fetched blocks are kept (each verified by Helia against its CID). */
  blockstore?: Blockstore
}

/**
 * A Helia node that fetches only from the given trustless gateways: the
 * trustless-gateway block broker and a fixed list of gateways as its one
 * router. No bitswap, no DHT, no delegated routing that would dial the internet.
 */
export async function createGatewayHelia(init: GatewayHeliaInit): Promise<Helia> {
  const gateways = fallbackRouter({ gateways: init.gateways, shuffle: false })
  const find = gateways.findProviders?.bind(gateways)
  if (find === undefined) throw new Error('@helia/fallback-router gave a router without findProviders')
  // Helia waits forever for its default routers when it has none, before it asks
  // the fallback ones: so the list is offered as an ordinary router
  const router: Partial<Routing> & { name: string } = {
    name: 'gateways',
    findProviders: find,
  }
  const helia = createHeliaLight({
    ...(init.blockstore === undefined ? {} : { blockstore: init.blockstore }),
    blockBrokers: [trustlessGatewayBlockBroker({ allowInsecure: init.allowLocal === true, allowLocal: init.allowLocal === true })],
    routers: [router],
  })
  await helia.start()
  return helia
}
