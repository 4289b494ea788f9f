import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http from 'node:http'
import { CarWriter } from '@ipld/car'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'
import { importBytes } from '../../shared/cas/files.ts'
import { walkDag } from '../../shared/cas/dag-walk.ts'
import { parseEntityBytes } from '../../shared/cas/byte-range.ts'
import { pseudoRandomBytes } from '../../shared/testing/bytes.ts'
import { CarStreamSession } from './car-stream-session.ts'
import { openGatewaySession } from './gateway-session.ts'
import { fetchDag } from './fetch-dag.ts'
import { retrieve, type ContentSource } from './retrieval.ts'
import { SourceRecords } from './source-records.ts'
import { gatewaySource } from './sources.ts'

type Block = { cid: CID; bytes: Uint8Array }

async function blocksOf(walk: AsyncIterable<Block>): Promise<Block[]> {
  const all: Block[] = []
  for await (const block of walk) all.push(block)
  return all
}

/** How a test gateway answers a CAR request: the DAG's blocks as they are, or changed. */
type CarAnswer = (blocks: Block[]) => Block[] | 'refuse' | 'not-held'

/** A CAR v1 of these blocks, in this order, under this root. */
async function carOf(root: CID, blocks: Block[]): Promise<Buffer> {
  const { writer, out } = CarWriter.create([root])
  const parts: Uint8Array[] = []
  const collecting = (async () => {
    for await (const part of out) parts.push(part)
  })()
  for (const block of blocks) await writer.put(block)
  await writer.close()
  await collecting
  return Buffer.concat(parts)
}

describe('a CAR stream session (one request for the whole DAG)', () => {
  const held = new VerifiedBlockStore(new MemoryBlockstore())
  const FILE = pseudoRandomBytes(3 * 1024 * 1024 + 1000, 77)
  let root: CID
  let blocks: Block[]
  const servers: http.Server[] = []

  /** A trustless gateway on loopback: CAR answers as the test says (each block `pauseMs` after the one before), raw blocks honestly; it counts each kind asked. */
  async function gateway(answer: CarAnswer, pauseMs = 0): Promise<{ url: string; asked: { car: number; raw: number; range?: string } }> {
    const asked: { car: number; raw: number; range?: string } = { car: 0, raw: 0 }
    const server = http.createServer((req, res) => {
      void (async () => {
        const url = new URL(req.url ?? '/', 'http://x')
        const cid = CID.parse(url.pathname.slice('/ipfs/'.length))
        if (url.searchParams.get('format') !== 'car') {
          asked.raw += 1
          res.writeHead(200, { 'content-type': 'application/vnd.ipld.raw' })
          return res.end(await held.get(cid))
        }
        asked.car += 1
        // a range asked for is honoured, as the relay does: the blocks that lead to its bytes
        const range = url.searchParams.get('entity-bytes')
        if (range !== null) asked.range = range
        const answered = answer(
          range === null ? blocks : await blocksOf(walkDag(held, root, 'entity', { range: parseEntityBytes(range, FILE.byteLength) })),
        )
        if (answered === 'refuse') return res.writeHead(400).end('no CARs here')
        if (answered === 'not-held') return res.writeHead(404).end('not held here')
        res.writeHead(200, { 'content-type': 'application/vnd.ipld.car; version=1; order=dfs; dups=n' })
        if (pauseMs === 0) return res.end(await carOf(root, answered))
        const car = await carOf(root, answered)
        // the header and root first, then the rest in steps, one pause per block
        const step = Math.ceil(car.byteLength / answered.length)
        for (let at = 0; at < car.byteLength; at += step) {
          res.write(car.subarray(at, at + step))
          await new Promise((resolve) => setTimeout(resolve, pauseMs))
        }
        res.end()
      })()
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, asked }
  }

  async function fetchFrom(url: string, store = new VerifiedBlockStore(new MemoryBlockstore())) {
    const session = new CarStreamSession(url, root, store, async () => await openGatewaySession(url, store))
    try {
      const progress = await fetchDag(session, store, root)
      return { progress, store }
    } finally {
      await session.close()
    }
  }

  beforeAll(async () => {
    root = (await importBytes(held, [FILE])).cid
    blocks = await blocksOf(walkDag(held, root))
  })
  afterAll(() => servers.forEach((s) => s.close()))

  it('fetches and keeps every block of the DAG through one CAR request, none block by block', async () => {
    const { url, asked } = await gateway((b) => b)
    const { progress, store } = await fetchFrom(url)
    expect(progress).toMatchObject({ bytes: FILE.byteLength, total: FILE.byteLength, blocks: blocks.length })
    for (const block of blocks) expect(await store.has(block.cid)).toBe(true)
    expect(asked).toEqual({ car: 1, raw: 0 })
  })

  it('names a streamed block whose bytes do not match its CID (CidMismatchError) and keeps nothing of it', async () => {
    const tampered = blocks[3] as Block
    const { url } = await gateway((b) =>
      b.map((block) => (block === tampered ? { cid: block.cid, bytes: block.bytes.map((x, i) => (i === 10 ? x ^ 1 : x)) } : block)),
    )
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    await expect(fetchFrom(url, store)).rejects.toMatchObject({ name: 'CidMismatchError' })
    expect(await store.has(tampered.cid)).toBe(false)
  })

  it('keeps nothing of a streamed block outside the DAG, and fetches the rest block by block', async () => {
    const extraBytes = pseudoRandomBytes(1000, 5)
    const extra = { cid: CID.createV1(raw.code, await sha256.digest(extraBytes)), bytes: extraBytes }
    const { url, asked } = await gateway((b) => [b[0] as Block, extra, ...b.slice(1)])
    const { progress, store } = await fetchFrom(url)
    expect(progress.bytes).toBe(FILE.byteLength)
    expect(await store.has(extra.cid)).toBe(false)
    // the root streamed in before the stranger; every other block was asked alone
    expect(asked.raw).toBe(blocks.length - 1)
  })

  it('takes a block sent twice once, and streams on', async () => {
    const { url, asked } = await gateway((b) => [b[0] as Block, b[1] as Block, b[1] as Block, ...b.slice(2)])
    const { progress } = await fetchFrom(url)
    expect(progress.bytes).toBe(FILE.byteLength)
    expect(asked).toEqual({ car: 1, raw: 0 })
  })

  it('fetches block by block from a gateway that does not answer with a CAR', async () => {
    const { url, asked } = await gateway(() => 'refuse')
    const { progress } = await fetchFrom(url)
    expect(progress.bytes).toBe(FILE.byteLength)
    expect(asked.car).toBe(1)
    expect(asked.raw).toBe(blocks.length)
  })

  it('takes a 404 for the CAR as the answer for every block (BlockNotFoundError), asking none alone', async () => {
    const { url, asked } = await gateway(() => 'not-held')
    await expect(fetchFrom(url)).rejects.toMatchObject({ name: 'BlockNotFoundError' })
    expect(asked).toEqual({ car: 1, raw: 0 })
  })

  it('fetches the rest block by block when the stream ends part way', async () => {
    const { url, asked } = await gateway((b) => b.slice(0, 5))
    const { progress, store } = await fetchFrom(url)
    expect(progress.bytes).toBe(FILE.byteLength)
    for (const block of blocks) expect(await store.has(block.cid)).toBe(true)
    // what streamed in before the cut was not asked again
    expect(asked.raw).toBe(blocks.length - 5)
  })

  it('fetched together with a peer that stalls, answers the blocks asked of the peer as they stream in', async () => {
    const { url } = await gateway((b) => b)
    // the peer wins the race for the root, then answers nothing more until its session is closed
    let closePeer = (): void => undefined
    const peerClosed = new Promise<void>((resolve) => (closePeer = resolve))
    const peer: ContentSource = {
      id: 'peer:stalled',
      label: 'a stalled peer',
      kind: 'peer',
      open: async () => ({
        get: async (cid: CID) => {
          if (cid.equals(root)) return await held.get(cid)
          await peerClosed
          throw new Error('closed')
        },
        close: async () => closePeer(),
      }),
    }
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const result = await retrieve(root, [[peer], [gatewaySource(url, 'relay', store)]], store, new SourceRecords(), {
      describe: (err) => String(err),
    })
    expect(result.progress.bytes).toBe(FILE.byteLength)
    for (const block of blocks) expect(await store.has(block.cid)).toBe(true)
    const shares = Object.fromEntries(result.shares.map((s) => [s.source.id, s.bytes]))
    // the root from the peer; every other block from the stream
    expect(shares['peer:stalled']).toBe(blocks[0]?.bytes.byteLength)
    expect(shares[`relay:${url}`]).toBe(blocks.slice(1).reduce((n, b) => n + b.bytes.byteLength, 0))
  })

  it("streams only the file's end from a byte offset, declines the blocks before it while it runs, and takes them block by block once it stopped", async () => {
    const { url, asked } = await gateway((b) => b, 20)
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const half = Math.floor(FILE.byteLength / 2)
    const session = new CarStreamSession(url, root, store, async () => await openGatewaySession(url, store), { fromByte: half })
    const ended = new Promise<void>((resolve) => session.events.on('ended', resolve))
    try {
      await session.get(root)
      const leaves = blocks.slice(1)
      const first = leaves[0] as Block
      const last = leaves.at(-1) as Block
      // asked about a block before the range, while the range streams: declined (and the stream goes on past the root)
      expect(session.declines(first.cid)).toBe(true)
      expect(session.declines(last.cid)).toBe(false)
      await session.get(last.cid)
      await ended
      expect(asked.range).toBe(`${half}:*`)
      const kept = await Promise.all(leaves.map(async (leaf) => await store.has(leaf.cid)))
      // the leaves from the one holding byte `half` on, and none before it
      const firstKept = kept.indexOf(true)
      expect(kept.slice(firstKept).every(Boolean)).toBe(true)
      expect(firstKept).toBe(Math.floor(half / (256 * 1024)))
      // stopped: it takes any block, block by block
      expect(session.declines(first.cid)).toBe(false)
      expect(await session.get(first.cid)).toEqual(first.bytes)
      expect(asked).toMatchObject({ car: 1, raw: 1 })
    } finally {
      await session.close()
    }
  })

  it('having brought its part, streams the half before it, and only then takes blocks one by one', async () => {
    const { url, asked } = await gateway((b) => b, 5)
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const from = 2.5 * 1024 * 1024
    const session = new CarStreamSession(url, root, store, async () => await openGatewaySession(url, store), { fromByte: from })
    let ends = 0
    const bothEnded = new Promise<void>((resolve) => session.events.on('ended', () => ++ends === 2 && resolve()))
    try {
      await session.get(root)
      const leaves = blocks.slice(1)
      const first = leaves[0] as Block
      await session.get(leaves.at(-1)?.cid as CID)
      await bothEnded
      expect(asked.car).toBe(2)
      // the second part: the half of the bytes before the first
      expect(asked.range).toBe(`${from / 2}:${from - 1}`)
      const kept = await Promise.all(leaves.map(async (leaf) => await store.has(leaf.cid)))
      const firstKept = kept.indexOf(true)
      expect(kept.slice(firstKept).every(Boolean)).toBe(true)
      expect(firstKept).toBe(Math.floor(from / 2 / (256 * 1024)))
      // no part left to stream: the first leaf comes on its own
      expect(asked.raw).toBe(0)
      expect(session.declines(first.cid)).toBe(false)
      expect(await session.get(first.cid)).toEqual(first.bytes)
      expect(asked.raw).toBe(1)
    } finally {
      await session.close()
    }
  })

  it("fetched together with a slower peer, the stream is asked for the file's end only, and both deliver", async () => {
    const { url, asked } = await gateway((b) => b)
    const peer: ContentSource = {
      id: 'peer:slow',
      label: 'a slow peer',
      kind: 'peer',
      open: async () => ({
        get: async (cid: CID) => {
          if (!cid.equals(root)) await new Promise((resolve) => setTimeout(resolve, 30))
          return await held.get(cid)
        },
        close: async () => undefined,
      }),
    }
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const result = await retrieve(root, [[peer], [gatewaySource(url, 'relay', store)]], store, new SourceRecords(), {
      describe: (err) => String(err),
    })
    expect(result.progress.bytes).toBe(FILE.byteLength)
    const shares = Object.fromEntries(result.shares.map((s) => [s.source.id, s.bytes]))
    expect(shares['peer:slow']).toBeGreaterThan(0)
    expect(shares[`relay:${url}`]).toBeGreaterThan(0)
    // one stream, from half way (once it stopped, it may help the peer block by block)
    expect(asked).toMatchObject({ car: 1, range: `${Math.floor(FILE.byteLength / 2)}:*` })
  })

  it('records a streaming source at the speed it delivered over the time it took, not over its requests alone', async () => {
    const pauseMs = 25
    const { url } = await gateway((b) => b, pauseMs)
    const store = new VerifiedBlockStore(new MemoryBlockstore())
    const records = new SourceRecords()
    const started = Date.now()
    await retrieve(root, [[gatewaySource(url, 'relay', store)]], store, records, { describe: (err) => String(err) })
    const took = Date.now() - started
    // the gateway paused before each step of its answer: the fetch cannot have been quicker than that
    expect(took).toBeGreaterThanOrEqual(pauseMs * (blocks.length - 1))
    const speed = records.get(`relay:${url}`)?.medianBytesPerSecond ?? Infinity
    expect(speed).toBeLessThanOrEqual((FILE.byteLength * 1000) / (pauseMs * (blocks.length - 2)))
  })
})
