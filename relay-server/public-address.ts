/**
 * The relay multiaddr a browser should dial, derived from the Host it used to
 * reach us, so that one relay serves localhost, a LAN name and a public name
 * alike. Returns undefined for a Host header that is not a plain host[:port].
 */
export function relayAddressFor(hostHeader: string | undefined, secure: boolean, peerId: string): string | undefined {
  if (hostHeader === undefined) return undefined
  const match = /^(?:\[([0-9a-fA-F:.]+)\]|([a-zA-Z0-9.-]+))(?::(\d{1,5}))?$/.exec(hostHeader.trim())
  if (match === null) return undefined
  const [, ip6, name, portText] = match
  const port = portText === undefined ? (secure ? 443 : 80) : Number(portText)
  if (port < 1 || port > 65535) return undefined
  const host = ip6 !== undefined ? `/ip6/${ip6}` : /^\d{1,3}(\.\d{1,3}){3}$/.test(name ?? '') ? `/ip4/${name}` : `/dns/${name}`
  return `${host}/tcp/${port}/${secure ? 'tls/ws' : 'ws'}/p2p/${peerId}`
}
