import { isIP } from 'node:net'

/**
 * The client's address. Behind a TLS proxy every connection comes from the
 * proxy: then, and only when the proxy is one the operator named, the
 * address is read from `X-Forwarded-For`, right to left, skipping the
 * trusted proxies (the rightmost entry a trusted proxy wrote is the first
 * that cannot be forged by the client). Anything unreadable leaves the
 * connection's own address.
 */
export function clientAddressOf(remote: string, forwardedFor: string | string[] | undefined, trustedProxies: ReadonlySet<string>): string {
  if (!trustedProxies.has(remote) || forwardedFor === undefined) return remote
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor).split(',').map((h) => h.trim())
  let client = remote
  for (let i = hops.length - 1; i >= 0 && trustedProxies.has(client); i--) {
    const hop = hops[i] as string
    if (isIP(hop) === 0) return client
    client = hop
  }
  return client
}
