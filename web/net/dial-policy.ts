import type { ConnectionGater } from '@libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import { getNetConfig, isPrivate } from '@libp2p/utils'
import { WebSockets } from '@multiformats/multiaddr-matcher'

/** True when the address's first host component is 127.0.0.0/8, ::1 or the name localhost. */
export function isLoopbackHost(ma: Multiaddr): boolean {
  try {
    const { type, host } = getNetConfig(ma)
    if (type === 'ip4') return host.startsWith('127.')
    if (type === 'ip6') return host === '::1'
    return host === 'localhost'
  } catch {
    return false
  }
}

/**
 * Browsers refuse plain ws:// and private addresses (libp2p's default). A
 * relay on loopback is a developer's machine: then, and only then, loopback
 * ws:// is allowed. Production relays are reached over wss://.
 */
export function createConnectionGater(relay: Multiaddr | undefined, offline: () => boolean = () => false): ConnectionGater {
  const allowLoopback = relay !== undefined && isLoopbackHost(relay)
  return {
    // the in-app offline switch: no connection in or out, whatever the transport
    denyDialPeer: () => offline(),
    denyInboundConnection: () => offline(),
    denyOutboundConnection: () => offline(),
    denyDialMultiaddr: (ma) => {
      if (offline()) return true
      if (allowLoopback && isLoopbackHost(ma)) return false
      if (WebSockets.matches(ma)) return true
      return isPrivate(ma) === true
    },
  }
}
