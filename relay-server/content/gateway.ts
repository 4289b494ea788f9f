import type http from 'node:http'
import { Readable } from 'node:stream'
import { CarWriter } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { identity } from 'multiformats/hashes/identity'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { walkDag, type DagScope } from '../../shared/cas/dag-walk.ts'
import { declaredFileSize } from '../../shared/cas/dag.ts'
import { readFile } from '../../shared/cas/files.ts'
import { entityBytesOf, InvalidByteRangeError, parseEntityBytes, type ByteRange } from '../../shared/cas/byte-range.ts'

/**
 * The relay's trustless gateway (IPFS Trustless Gateway specification):
 * `GET`/`HEAD /ipfs/{cid}` as a raw block or a CAR v1, for what the relay
 * holds (what was pinned on it). It never fetches on anyone's behalf: what it
 * does not hold is a 404.
 */
const IMMUTABLE = 'public, max-age=29030400, immutable'
const RAW = 'application/vnd.ipld.raw'
const CAR = 'application/vnd.ipld.car'

type Format = 'raw' | 'car'

export function isGatewayPath(pathname: string): boolean {
  return pathname === '/ipfs' || pathname.startsWith('/ipfs/')
}

/** Where the relay's components report what went wrong; main prints it. */
export type RelayLog = (message: string, err?: unknown) => void

export async function serveGateway(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  store: BlockStore,
  log: RelayLog,
): Promise<void> {
  setCors(res)
  if (req.method === 'OPTIONS') return end(res, 204)
  if (req.method !== 'GET' && req.method !== 'HEAD') return fail(res, 405, 'Only GET and HEAD are served here.')
  const [cidText, ...path] = url.pathname.slice('/ipfs/'.length).split('/')
  let cid: CID
  try {
    cid = CID.parse(cidText ?? '')
  } catch {
    return fail(res, 400, `Not a CID: "${(cidText ?? '').slice(0, 100)}".`)
  }
  const format = formatOf(url, req.headers.accept)
  if (format === undefined) {
    // a plain browser, not an IPFS client: the file itself, as a download
    if (url.searchParams.get('format') === null && path.every((p) => p === '')) return await serveFile(req, res, url, store, cid, log)
    return fail(res, 400, `Ask for ${RAW} or ${CAR} (Accept header or ?format=raw|car).`)
  }
  if (path.some((p) => p !== '')) return fail(res, 400, 'Paths inside a DAG are not served here; ask for the CID itself.')
  const scope = url.searchParams.get('dag-scope') ?? 'all'
  if (!['block', 'entity', 'all'].includes(scope)) return fail(res, 400, `Unknown dag-scope "${scope}".`)
  const bytes = await rootBytes(store, cid)
  if (bytes === undefined) return fail(res, 404, `This relay does not hold ${cid.toString()}.`)
  const rangeText = url.searchParams.get('entity-bytes')
  let range: ByteRange | undefined
  if (rangeText !== null) {
    if (format !== 'car' || scope !== 'entity') return fail(res, 400, 'entity-bytes goes with a CAR of dag-scope=entity.')
    try {
      range = parseEntityBytes(rangeText, declaredFileSize(cid, bytes))
    } catch (err) {
      return fail(res, 400, err instanceof InvalidByteRangeError ? `${err.message}.` : 'entity-bytes is for a UnixFS file.')
    }
  }
  res.setHeader('X-Content-Type-Options', 'nosniff')
  res.setHeader('Cache-Control', IMMUTABLE)
  res.setHeader('Vary', 'Accept')
  if (format === 'raw') {
    res.setHeader('Content-Type', RAW)
    res.setHeader('Content-Disposition', `attachment; filename="${cid.toString()}.bin"`)
    res.setHeader('Etag', `"${cid.toString()}.raw"`)
    res.setHeader('Content-Length', bytes.byteLength)
    res.writeHead(200)
    return void res.end(req.method === 'HEAD' ? undefined : bytes)
  }
  res.setHeader('Content-Type', `${CAR}; version=1; order=dfs; dups=n`)
  res.setHeader('Content-Disposition', `attachment; filename="${cid.toString()}.car"`)
  const ranged = range === undefined ? '' : `.${entityBytesOf(range)}`
  res.setHeader('Etag', `"${cid.toString()}.car.${scope}${ranged}.dfs.n"`)
  res.writeHead(200)
  if (req.method === 'HEAD') return void res.end()
  await streamCar(res, store, cid, { scope: scope as DagScope, range }, log)
}

/**
 * A UnixFS file the relay holds whole, for a browser that opened the link: its
 * bytes, always as an attachment and in a sandbox, so nothing published can
 * run as the app's own origin. An IPFS client asks for raw blocks or a CAR.
 */
async function serveFile(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  url: URL,
  store: BlockStore,
  cid: CID,
  log: RelayLog,
): Promise<void> {
  if (!(await store.has(cid))) return fail(res, 404, `This relay does not hold ${cid.toString()}.`)
  const name = (url.searchParams.get('filename') ?? cid.toString()).replace(/[^\w.\- ]/g, '_').slice(0, 200)
  let size: number
  try {
    size = declaredFileSize(cid, await store.get(cid))
  } catch {
    return fail(res, 400, 'This is not a file: ask for it as a CAR (?format=car).')
  }
  res.writeHead(200, {
    'Content-Type': 'application/octet-stream',
    'Content-Disposition': `attachment; filename="${name}"`,
    'Content-Length': size,
    'Content-Security-Policy': 'sandbox',
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': IMMUTABLE,
    Etag: `"${cid.toString()}"`,
    'Access-Control-Allow-Origin': '*',
  })
  if (req.method === 'HEAD') return void res.end()
  try {
    for await (const chunk of readFile(store, cid)) if (!res.write(chunk)) await new Promise((resolve) => res.once('drain', resolve))
    res.end()
  } catch (err) {
    log(`gateway: the file ${cid.toString()} ended early`, err)
    res.destroy()
  }
}

/** `?format=` wins over Accept, as the specification says. */
function formatOf(url: URL, accept: string | undefined): Format | undefined {
  const asked = url.searchParams.get('format')
  if (asked === 'raw' || asked === 'car') return asked
  if (asked !== null) return undefined
  const types = (accept ?? '').split(',').map((t) => t.split(';')[0]?.trim())
  if (types.includes(RAW)) return 'raw'
  if (types.includes(CAR)) return 'car'
  return undefined
}

/** The root block, or undefined when it is not held. The empty identity CID (the probe, bafkqaaa) is always held. */
async function rootBytes(store: BlockStore, cid: CID): Promise<Uint8Array | undefined> {
  if (cid.multihash.code === identity.code) return cid.multihash.digest
  if (!(await store.has(cid))) return undefined
  return await store.get(cid)
}

async function streamCar(
  res: http.ServerResponse,
  store: BlockStore,
  root: CID,
  { scope, range }: { scope: DagScope; range: ByteRange | undefined },
  log: RelayLog,
): Promise<void> {
  const { writer, out } = CarWriter.create([root])
  const piping = new Promise<void>((resolve, reject) => {
    Readable.from(out).on('error', reject).pipe(res).on('finish', resolve).on('error', reject)
  })
  try {
    if (root.multihash.code === identity.code) await writer.put({ cid: root, bytes: root.multihash.digest })
    else for await (const block of walkDag(store, root, scope, range === undefined ? {} : { range })) await writer.put(block)
  } catch (err) {
    // a child missing after the 200 went out: the specification says to end the
    // stream; the client finds the CAR incomplete when it verifies it
    log(`gateway: CAR of ${root.toString()} ended early`, err)
    res.destroy()
  } finally {
    await writer.close().catch((err: unknown) => log(`gateway: closing the CAR of ${root.toString()}`, err))
  }
  // a client that goes away mid-stream is its own business
  await piping.catch((err: unknown) => log(`gateway: sending the CAR of ${root.toString()}`, err))
}

function setCors(res: http.ServerResponse): void {
  res.setHeader('Access-Control-Allow-Origin', '*')
  res.setHeader('Access-Control-Allow-Methods', 'GET, HEAD, OPTIONS')
  res.setHeader('Access-Control-Allow-Headers', 'Accept, Range')
  res.setHeader('Access-Control-Expose-Headers', 'Content-Type, Content-Length, Content-Disposition, Etag, X-Content-Type-Options')
}

function fail(res: http.ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' })
  res.end(`${message}\n`)
}

function end(res: http.ServerResponse, status: number): void {
  res.writeHead(status)
  res.end()
}
