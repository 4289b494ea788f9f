import type http from 'node:http'
import net from 'node:net'
import { existsSync } from 'node:fs'
import sirv from 'sirv'
import type { RelayNode } from './relay.ts'
import { relayAddressFor } from './public-address.ts'
import type { ClientAddresses } from './client-addresses.ts'
import { isGatewayPath, serveGateway, type RelayLog } from './content/gateway.ts'
import { isPinningPath, servePinning } from './content/pinning-http.ts'
import type { PinningService } from './content/pinning.ts'
import type { BlockStore } from '../shared/cas/blocks.ts'
import type { HttpRoute, RelayMetrics } from './metrics.ts'
import type { ConnectionLimits } from './connection-limits.ts'
import { clientAddressOf } from './forwarded-for.ts'

export interface HttpInit {
  relay: RelayNode
  /** The relay's internal WebSocket listener, which upgrades are handed to. */
  wsTarget: { host: string; port: number }
  staticDir: string | undefined
  startedAt: number
  clients: ClientAddresses
  /** What the relay pinned: served by its trustless gateway. */
  blocks: BlockStore
  pinning: PinningService
  /** What one client address may open, checked before the hand-off. */
  limits: ConnectionLimits
  /** Proxies whose X-Forwarded-For names the client. */
  trustProxy: ReadonlySet<string>
  metrics: RelayMetrics
  log: RelayLog
}

/** What the HTTP side holds open: the WebSocket hand-offs, which server.close() alone would wait for forever. */
export interface HttpHandles {
  /** Ends every handed-off WebSocket at once. */
  destroyUpgrades(): void
  /** WebSocket hand-offs open now. */
  openUpgrades(): number
}

/** Hashed build assets never change under their name; everything else is checked again on every load. */
const IMMUTABLE = 'public, max-age=31536000, immutable'
const REVALIDATE = 'no-cache'

export interface RelayHealth {
  status: 'ok'
  peerId: string
  multiaddrs: string[]
  connections: number
  reservations: number
  uptimeSeconds: number
}

export function health({ relay, startedAt }: Pick<HttpInit, 'relay' | 'startedAt'>): RelayHealth {
  return {
    status: 'ok',
    peerId: relay.peerId.toString(),
    multiaddrs: relay.getMultiaddrs().map((ma) => ma.toString()),
    connections: relay.getConnections().length,
    reservations: relay.services.relay.reservations.size,
    uptimeSeconds: Math.round((Date.now() - startedAt) / 1000),
  }
}

/** One port for everything: the app, /health, /multiaddrs, and libp2p over WebSockets. */
export function attachHttpHandlers(server: http.Server, init: HttpInit): HttpHandles {
  const serveStatic =
    init.staticDir !== undefined && existsSync(init.staticDir)
      ? sirv(init.staticDir, {
          single: true,
          etag: true,
          // the .gz and .br copies the build made, whichever the browser accepts
          gzip: true,
          brotli: true,
          dev: false,
          setHeaders: (res, pathname) => res.setHeader('cache-control', pathname.startsWith('/assets/') ? IMMUTABLE : REVALIDATE),
        })
      : undefined
  const upgrades = new Set<net.Socket>()

  server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = new URL(req.url ?? '/', 'http://relay.invalid')
    const route = routeOf(url.pathname, serveStatic !== undefined)
    res.once('finish', () => init.metrics.answered(route, res.statusCode))
    const failed = (err: unknown): void => {
      init.log(`http: ${req.method ?? ''} ${url.pathname}`, err)
      if (!res.headersSent) sendJson(res, 500, { error: 'the relay failed to handle this request' })
      else res.destroy()
    }
    if (isGatewayPath(url.pathname)) return void serveGateway(req, res, url, init.blocks, init.log).catch(failed)
    if (isPinningPath(url.pathname)) {
      const delegates = () => init.relay.getMultiaddrs().map((ma) => ma.toString())
      return void servePinning(req, res, url, { service: init.pinning, delegates, log: init.log }).catch(failed)
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') return sendJson(res, 405, { error: 'method not allowed' })
    if (url.pathname === '/health') return sendJson(res, 200, health(init))
    if (url.pathname === '/metrics')
      return void init.metrics.text().then(({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType, 'cache-control': 'no-store' })
        res.end(body)
      }, failed)
    if (url.pathname === '/multiaddrs') {
      const secure = req.headers['x-forwarded-proto'] === 'https'
      const address = relayAddressFor(req.headers.host, secure, init.relay.peerId.toString())
      if (address === undefined) return sendJson(res, 400, { error: 'unusable Host header' })
      // an app served elsewhere may add this relay by its URL: it reads this from another origin
      res.setHeader('access-control-allow-origin', '*')
      return sendJson(res, 200, { peerId: init.relay.peerId.toString(), multiaddrs: [address] })
    }
    if (serveStatic !== undefined) {
      serveStatic(req, res, () => sendJson(res, 404, { error: 'not found' }))
      return
    }
    sendJson(res, 404, { error: 'not found (this relay serves no web app)' })
  })

  server.on('upgrade', (req: http.IncomingMessage, socket: net.Socket, head: Buffer) => {
    const address = clientAddressOf(socket.remoteAddress ?? 'unknown', req.headers['x-forwarded-for'], init.trustProxy)
    const refusal = init.limits.admit(address)
    if (refusal !== undefined) {
      // turned away at the door: no hand-off, no handshake, nothing held for it
      init.metrics.refused(refusal)
      socket.end('HTTP/1.1 429 Too Many Requests\r\nConnection: close\r\nContent-Length: 0\r\n\r\n')
      socket.destroySoon()
      return
    }
    socket.once('close', () => init.limits.closed(address))
    upgrades.add(socket)
    init.metrics.upgraded()
    // both hops send each small frame at once: with Nagle's algorithm a frame written while the
    // one before is unacknowledged waits for the delayed ACK, 40 ms a round trip on loopback
    socket.setNoDelay(true)
    const upstream = net.connect({ port: init.wsTarget.port, host: init.wsTarget.host, noDelay: true }, () => {
      const port = upstream.localPort
      if (port !== undefined) {
        init.clients.add(port, address)
        upstream.once('close', () => init.clients.remove(port))
      }
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`]
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`)
      upstream.write(lines.join('\r\n') + '\r\n\r\n')
      if (head.length > 0) upstream.write(head)
      socket.pipe(upstream).pipe(socket)
    })
    const drop = (): void => {
      socket.destroy()
      upstream.destroy()
    }
    upstream.on('error', drop)
    socket.on('error', drop)
    socket.on('close', () => {
      upgrades.delete(socket)
      upstream.destroy()
    })
    upstream.on('close', () => socket.destroy())
  })

  return {
    destroyUpgrades() {
      for (const socket of upgrades) socket.destroy()
    },
    openUpgrades: () => upgrades.size,
  }
}

function routeOf(pathname: string, servesApp: boolean): HttpRoute {
  if (isGatewayPath(pathname)) return 'gateway'
  if (isPinningPath(pathname)) return 'pinning'
  if (pathname === '/health' || pathname === '/multiaddrs' || pathname === '/metrics') return pathname.slice(1) as HttpRoute
  return servesApp ? 'app' : 'other'
}

function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' })
  res.end(JSON.stringify(body))
}
