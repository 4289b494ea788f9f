import type http from 'node:http'
import { PinTokenError, verifyPinToken } from '../../shared/auth/pin-token.ts'
import type { PinRecord, PinState } from './pin-store.ts'
import type { PinFilters, PinInput, PinningService } from './pinning.ts'
import { PinningRefusedError } from '../../shared/protocol/pinning-errors.ts'
import type { RelayLog } from './gateway.ts'

/**
 * The IPFS Pinning Service API on the relay (`/pins`), plus one addition of
 * ours: `PUT /pins/{requestid}/car` carries a queued pin's DAG. Every request
 * carries `Authorization: Bearer <pin token>`, a short-lived JWT signed by the
 * caller's did:key for this relay's origin.
 */
const MAX_JSON_BYTES = 64 * 1024
const STATES: PinState[] = ['queued', 'pinning', 'pinned', 'failed']

export interface PinningHttpInit {
  service: PinningService
  /** The relay's multiaddrs, given as the pins' delegates. */
  delegates: () => string[]
  log: RelayLog
}

export function isPinningPath(pathname: string): boolean {
  return pathname === '/pins' || pathname.startsWith('/pins/')
}

export async function servePinning(req: http.IncomingMessage, res: http.ServerResponse, url: URL, init: PinningHttpInit): Promise<void> {
  setCors(res)
  if (req.method === 'OPTIONS') return send(res, 204, undefined)
  try {
    const owner = await verifyPinToken(bearerOf(req), originOf(req)).catch((err: unknown) => {
      if (err instanceof PinTokenError)
        throw new PinningRefusedError(401, 'UNAUTHORIZED', `${err.message}. Send Authorization: Bearer <a pin token for ${originOf(req)}>.`)
      throw err
    })
    const [, , requestid, tail] = url.pathname.split('/')
    const view = (r: PinRecord) => statusOf(r, init.delegates())
    if (requestid === undefined || requestid === '') {
      if (req.method === 'GET') {
        const { count, results } = init.service.list(owner, filtersOf(url))
        return send(res, 200, { count, results: results.map(view) })
      }
      if (req.method === 'POST') return send(res, 202, view(await init.service.add(owner, await pinOf(req))))
    } else if (tail === 'car') {
      if (req.method === 'PUT') return send(res, 200, view(await init.service.receiveCar(owner, requestid, req)))
    } else if (tail === undefined) {
      if (req.method === 'GET') return send(res, 200, view(init.service.get(owner, requestid)))
      if (req.method === 'POST') return send(res, 202, view(await init.service.replace(owner, requestid, await pinOf(req))))
      if (req.method === 'DELETE') {
        await init.service.remove(owner, requestid)
        return send(res, 202, undefined)
      }
    }
    throw new PinningRefusedError(400, 'BAD_REQUEST', `${req.method ?? ''} ${url.pathname} is not part of this API.`)
  } catch (err) {
    if (err instanceof PinningRefusedError) return send(res, err.status, { error: { reason: err.reason, details: err.message } })
    init.log(`pinning: ${req.method ?? ''} ${url.pathname}`, err)
    return send(res, 500, { error: { reason: 'INTERNAL_SERVER_ERROR', details: 'The relay failed to handle this request.' } })
  }
}

/** The origin the caller reached the relay at: the audience its token must name. */
export function originOf(req: http.IncomingMessage): string {
  const secure = req.headers['x-forwarded-proto'] === 'https'
  return `${secure ? 'https' : 'http'}://${req.headers.host ?? ''}`
}

function bearerOf(req: http.IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')
  return match?.[1]
}

function statusOf(r: PinRecord, delegates: string[]) {
  return { requestid: r.requestid, status: r.status, created: r.created, pin: r.pin, delegates, info: r.info ?? {} }
}

async function pinOf(req: http.IncomingMessage): Promise<PinInput> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.byteLength
    if (size > MAX_JSON_BYTES) throw new PinningRefusedError(413, 'TOO_LARGE', `A pin object is at most ${MAX_JSON_BYTES} bytes of JSON.`)
    chunks.push(chunk)
  }
  let body: unknown
  try {
    body = JSON.parse(Buffer.concat(chunks).toString('utf8'))
  } catch {
    throw new PinningRefusedError(400, 'BAD_REQUEST', 'The body is not JSON.')
  }
  if (typeof body !== 'object' || body === null || typeof (body as { cid?: unknown }).cid !== 'string')
    throw new PinningRefusedError(400, 'BAD_REQUEST', 'A pin object needs a "cid" string.')
  const { cid, name, origins, meta } = body as PinInput
  return {
    cid,
    ...(name === undefined ? {} : { name }),
    ...(origins === undefined ? {} : { origins }),
    ...(meta === undefined ? {} : { meta }),
  }
}

function filtersOf(url: URL): PinFilters {
  const q = url.searchParams
  const limit = q.get('limit') === null ? 10 : Number(q.get('limit'))
  if (!Number.isInteger(limit) || limit < 1 || limit > 1000)
    throw new PinningRefusedError(400, 'BAD_REQUEST', 'limit is a whole number from 1 to 1000.')
  const status = q.getAll('status').flatMap((s) => s.split(','))
  if (status.some((s) => !STATES.includes(s as PinState)))
    throw new PinningRefusedError(400, 'BAD_REQUEST', `status is one of ${STATES.join(', ')}.`)
  const cid = q.getAll('cid').flatMap((c) => c.split(','))
  const match = q.get('match') ?? undefined
  if (match !== undefined && !['exact', 'iexact', 'partial', 'ipartial'].includes(match))
    throw new PinningRefusedError(400, 'BAD_REQUEST', 'match is exact, iexact, partial or ipartial.')
  let meta: Record<string, string> | undefined
  if (q.get('meta') !== null) {
    try {
      meta = JSON.parse(q.get('meta') as string) as Record<string, string>
    } catch {
      throw new PinningRefusedError(400, 'BAD_REQUEST', 'meta is a JSON object.')
    }
  }
  return {
    limit,
    ...(status.length > 0 ? { status: status as PinState[] } : {}),
    ...(cid.length > 0 ? { cid } : {}),
    ...(q.get('name') !== null ? { name: q.get('name') as string } : {}),
    ...(match !== undefined ? { match: match as PinFilters['match'] } : {}),
    ...(q.get('before') !== null ? { before: timeOf(q.get('before') as string, 'before') } : {}),
    ...(q.get('after') !== null ? { after: timeOf(q.get('after') as string, 'after') } : {}),
    ...(meta !== undefined ? { meta } : {}),
  }
}

function timeOf(text: string, name: string): string {
  const time = new Date(text)
  if (Number.isNaN(time.getTime())) throw new PinningRefusedError(400, 'BAD_REQUEST', `${name} is an RFC 3339 timestamp.`)
  return time.toISOString()
}

function setCors(res: http.ServerResponse): void {
  // bearer tokens, not cookies: any page may call the API with its own token
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Allow-Methods', 'GET, POST, PUT, DELETE, OPTIONS')
  res.setHeader('Access-Control-Allow-Headers', 'Authorization, Content-Type')
}

function send(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'Content-Type': 'application/json; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(body === undefined ? undefined : JSON.stringify(body))
}
