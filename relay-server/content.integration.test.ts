import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { CarReader, CarWriter } from '@ipld/car'
import { unixfs } from '@helia/unixfs'
import { createGatewayHelia } from '../shared/cas/gateway-helia.ts'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as dagPb from '@ipld/dag-pb'
import { VerifiedBlockStore } from '../shared/cas/blocks.ts'
import { CHUNK_BYTES } from '../shared/cas/limits.ts'
import { importBytes } from '../shared/cas/files.ts'
import { dagToCar } from '../shared/cas/car.ts'
import { dagBlockIds, readFile, unixfsOf } from '../shared/cas/files.ts'
import { generateIdentity, type Identity } from '../shared/identity/did-key.ts'
import { createPinToken } from '../shared/auth/pin-token.ts'
import { signJwt } from '../shared/identity/jws.ts'
import { flipSignatureBit } from '../shared/testing/tamper.ts'
import { pseudoRandomBytes } from '../shared/testing/bytes.ts'
import { removeRelayDirs, startRelayProcess, type RelayProcess } from '../e2e/relay-process.ts'

const MiB = 2 ** 20

/** A file DAG made as the app makes it, held in memory, with its CAR. */
async function fileDag(bytes: Uint8Array) {
  const store = new VerifiedBlockStore(new MemoryBlockstore())
  const { cid } = await importBytes(store, [bytes])
  const car = await collect(dagToCar(store, cid))
  return { cid, car, store, blocks: await dagBlockIds(store, cid) }
}

async function collect(parts: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const all: Uint8Array[] = []
  for await (const part of parts) all.push(part)
  return new Uint8Array(Buffer.concat(all))
}

describe('the relay as a pinning service and trustless gateway', () => {
  let relay: RelayProcess
  let origin: string
  const ann = generateIdentity()
  const api = async (path: string, init: RequestInit & { as?: Identity; token?: string } = {}) => {
    const token = init.token ?? (await createPinToken(init.as ?? ann, origin))
    return await fetch(`${origin}${path}`, { ...init, headers: { ...init.headers, authorization: `Bearer ${token}` } })
  }
  /** Pins a DAG the way the app does: the pin request, then its CAR. */
  const publish = async (dag: { cid: CID; car: Uint8Array }, as: Identity = ann) => {
    const queued = await api('/pins', { method: 'POST', body: JSON.stringify({ cid: dag.cid.toString(), name: 'a file' }), as })
    const status = (await queued.json()) as { requestid: string; status: string }
    return {
      queued: status,
      upload: await api(`/pins/${status.requestid}/car`, { method: 'PUT', body: dag.car, as, duplex: 'half' } as RequestInit),
    }
  }

  beforeAll(async () => {
    const staticDir = mkdtempSync(join(tmpdir(), 'cas-disot-app-'))
    writeFileSync(join(staticDir, 'index.html'), '<!doctype html>')
    relay = await startRelayProcess({
      staticDir,
      args: ['--max-pin-bytes', String(3 * MiB), '--pin-quota-bytes', String(4 * MiB), '--pin-quota-count', '5'],
    })
    origin = relay.url.replace(/\/$/, '')
  }, 60_000)
  afterAll(async () => {
    await relay.stop()
    rmSync(relay.staticDir, { recursive: true, force: true })
    removeRelayDirs()
  })

  it('pins a multi-block file sent as a CAR, and serves it to a Helia node that trusts nothing but CIDs', async () => {
    const bytes = pseudoRandomBytes(MiB + 4321, 9)
    const dag = await fileDag(bytes)
    const { queued, upload } = await publish(dag)
    expect(queued.status).toBe('queued')
    expect(upload.status).toBe(200)
    expect(await upload.json()).toMatchObject({ status: 'pinned', pin: { cid: dag.cid.toString(), name: 'a file' } })
    const listed = (await (await api(`/pins?cid=${dag.cid.toString()}`)).json()) as {
      count: number
      results: Array<{ status: string; delegates: string[] }>
    }
    expect(listed.count).toBe(1)
    expect(listed.results[0]?.status).toBe('pinned')
    expect(listed.results[0]?.delegates.length).toBeGreaterThan(0)

    // a Helia node with only the trustless-gateway broker and a fixed router: no bitswap, no DHT, no delegated routing
    const helia = await createGatewayHelia({ gateways: [origin], allowLocal: true })
    try {
      const parts: Uint8Array[] = []
      for await (const part of unixfs(helia).cat(dag.cid, { signal: AbortSignal.timeout(20_000) })) parts.push(part)
      expect(Buffer.concat(parts).equals(Buffer.from(bytes))).toBe(true)
    } finally {
      await helia.stop()
    }
  })

  it('answers the trustless gateway specification: raw blocks, CARs of the whole DAG, headers, HEAD, 404, 400 and the probe', async () => {
    const dag = await fileDag(pseudoRandomBytes(600_000, 4))
    expect((await publish(dag)).upload.status).toBe(200)
    const url = `${origin}/ipfs/${dag.cid.toString()}`

    const raw = await fetch(`${url}?format=raw`)
    expect(raw.status).toBe(200)
    expect(raw.headers.get('content-type')).toBe('application/vnd.ipld.raw')
    expect(raw.headers.get('content-disposition')).toBe(`attachment; filename="${dag.cid.toString()}.bin"`)
    expect(raw.headers.get('x-content-type-options')).toBe('nosniff')
    expect(raw.headers.get('cache-control')).toContain('immutable')
    expect(raw.headers.get('etag')).toBe(`"${dag.cid.toString()}.raw"`)
    expect(raw.headers.get('access-control-allow-origin')).toBe('*')
    const rootBytes = new Uint8Array(await raw.arrayBuffer())
    expect(CID.createV1(dag.cid.code, await sha256.digest(rootBytes)).equals(dag.cid)).toBe(true)

    const car = await fetch(url, { headers: { accept: 'application/vnd.ipld.car' } })
    expect(car.status).toBe(200)
    expect(car.headers.get('content-type')).toMatch(/^application\/vnd\.ipld\.car; version=1/)
    expect(car.headers.get('content-disposition')).toBe(`attachment; filename="${dag.cid.toString()}.car"`)
    const reader = await CarReader.fromBytes(new Uint8Array(await car.arrayBuffer()))
    const held = new Set<string>()
    for await (const { cid, bytes } of reader.blocks()) {
      expect(CID.createV1(cid.code, await sha256.digest(bytes)).equals(cid)).toBe(true)
      held.add(cid.toString())
    }
    expect(held).toEqual(dag.blocks)
    const onlyRoot = await CarReader.fromBytes(new Uint8Array(await (await fetch(`${url}?format=car&dag-scope=block`)).arrayBuffer()))
    expect((await onlyRoot.getRoots()).map(String)).toEqual([dag.cid.toString()])
    const carried: string[] = []
    for await (const cid of onlyRoot.cids()) carried.push(cid.toString())
    expect(carried).toEqual([dag.cid.toString()])

    const head = await fetch(`${url}?format=raw`, { method: 'HEAD' })
    expect(head.status).toBe(200)
    expect(head.headers.get('content-length')).toBe(String(rootBytes.byteLength))
    expect((await head.arrayBuffer()).byteLength).toBe(0)

    const absent = (await fileDag(pseudoRandomBytes(1000, 77))).cid
    expect((await fetch(`${origin}/ipfs/${absent.toString()}?format=raw`)).status).toBe(404)
    expect((await fetch(`${origin}/ipfs/${absent.toString()}?format=car`, { method: 'HEAD' })).status).toBe(404)
    expect((await fetch(`${origin}/ipfs/not-a-cid?format=raw`)).status).toBe(400)
    expect((await fetch(`${url}?format=json`)).status).toBe(400)
    // a plain browser gets the file itself, as a sandboxed download
    const download = await fetch(`${url}?filename=notes.bin`)
    expect(download.status).toBe(200)
    expect(download.headers.get('content-disposition')).toBe('attachment; filename="notes.bin"')
    expect(download.headers.get('content-security-policy')).toBe('sandbox')
    expect(Buffer.from(await download.arrayBuffer()).equals(Buffer.from(await collect(readFile(dag.store, dag.cid))))).toBe(true)
    const probe = await fetch(`${origin}/ipfs/bafkqaaa?format=raw`)
    expect(probe.status).toBe(200)
    expect((await probe.arrayBuffer()).byteLength).toBe(0)
  })

  it('serves the blocks that lead to a byte range of a file (entity-bytes), and refuses a range that is not one', async () => {
    const bytes = pseudoRandomBytes(6 * CHUNK_BYTES + 999, 12)
    const dag = await fileDag(bytes)
    expect((await publish(dag, generateIdentity())).upload.status).toBe(200)
    const leaves = dagPb.decode(await dag.store.get(dag.cid)).Links.map((link) => link.Hash.toString())
    const url = `${origin}/ipfs/${dag.cid.toString()}?format=car&dag-scope=entity`
    const carried = async (range: string): Promise<{ cids: string[]; store: VerifiedBlockStore }> => {
      const answer = await fetch(`${url}&entity-bytes=${range}`)
      expect(answer.status).toBe(200)
      const store = new VerifiedBlockStore(new MemoryBlockstore())
      const cids: string[] = []
      for await (const { cid, bytes: block } of (await CarReader.fromBytes(new Uint8Array(await answer.arrayBuffer()))).blocks()) {
        await store.put(cid, block)
        cids.push(cid.toString())
      }
      return { cids, store }
    }
    // bytes 300 000 to 700 000 lie in the second and third chunks
    const middle = await carried('300000:700000')
    expect(middle.cids).toEqual([dag.cid.toString(), leaves[1], leaves[2]])
    // the range reads from those blocks alone
    const read = await collect((await unixfsOf(middle.store)).cat(dag.cid, { offset: 300_000, length: 400_001, offline: true }))
    expect(Buffer.from(read).equals(Buffer.from(bytes.subarray(300_000, 700_001)))).toBe(true)
    // counted back from the end: the last chunk only
    expect((await carried('-500:*')).cids).toEqual([dag.cid.toString(), leaves[6]])
    expect((await carried('0:*')).cids).toEqual([dag.cid.toString(), ...leaves])
    for (const bad of ['5:2', 'a:b', '1.5:*']) expect((await fetch(`${url}&entity-bytes=${bad}`)).status).toBe(400)
    // a range belongs to one entity: with the whole DAG asked for, it is a 400 too
    expect((await fetch(`${origin}/ipfs/${dag.cid.toString()}?format=car&dag-scope=all&entity-bytes=0:*`)).status).toBe(400)
  })

  it('refuses missing, expired, forged, foreign and wrong-audience tokens with 401', async () => {
    const now = Math.floor(Date.now() / 1000)
    const tokens: Record<string, string> = {
      missing: '',
      expired: await createPinToken(ann, origin, now - 3600),
      forged: flipSignatureBit(await createPinToken(ann, origin)),
      'another audience': await createPinToken(ann, 'https://other-relay.example'),
      'another kind': await signJwt(ann, { kind: 'cas-disot/auth', v: 1, aud: origin, iat: now, exp: now + 60 }),
    }
    for (const [label, token] of Object.entries(tokens)) {
      const response = await fetch(`${origin}/pins`, { headers: token === '' ? {} : { authorization: `Bearer ${token}` } })
      expect(response.status, label).toBe(401)
      expect(((await response.json()) as { error: { reason: string } }).error.reason, label).toBe('UNAUTHORIZED')
    }
  })

  it('keeps nothing of an oversized, tampered or incomplete CAR, and holds each DID to its quota', async () => {
    const bob = generateIdentity()
    // over the 3 MiB a pin may hold
    const big = await fileDag(pseudoRandomBytes(3 * MiB + 1, 5))
    const tooBig = await publish(big, bob)
    expect(tooBig.upload.status).toBe(413)
    expect(((await tooBig.upload.json()) as { error: { reason: string } }).error.reason).toBe('TOO_LARGE')
    for (const cid of big.blocks) expect((await fetch(`${origin}/ipfs/${cid}?format=raw`, { method: 'HEAD' })).status).toBe(404)

    // one byte of one block changed
    const dag = await fileDag(pseudoRandomBytes(700_000, 6))
    const tampered = Uint8Array.from(dag.car)
    tampered[tampered.length - 10] = (tampered[tampered.length - 10] as number) ^ 0xff
    const bad = await publish({ cid: dag.cid, car: tampered }, bob)
    expect(bad.upload.status).toBe(400)
    expect(((await bad.upload.json()) as { error: { reason: string } }).error.reason).toBe('BAD_BLOCK')
    // the root alone, children missing
    const { writer, out } = CarWriter.create([dag.cid])
    const bytesOut = collect(out)
    await writer.put({ cid: dag.cid, bytes: await dag.store.get(dag.cid) })
    await writer.close()
    const incomplete = await publish({ cid: dag.cid, car: await bytesOut }, bob)
    expect(incomplete.upload.status).toBe(400)
    expect(((await incomplete.upload.json()) as { error: { reason: string } }).error.reason).toBe('INCOMPLETE_DAG')
    for (const cid of dag.blocks) expect((await fetch(`${origin}/ipfs/${cid}?format=raw`, { method: 'HEAD' })).status).toBe(404)

    // two 2 MiB files: the second passes Bob's 4 MiB quota
    expect((await publish(await fileDag(pseudoRandomBytes(2 * MiB, 7)), bob)).upload.status).toBe(200)
    const over = await publish(await fileDag(pseudoRandomBytes(2 * MiB + 100_000, 8)), bob)
    expect(over.upload.status).toBe(409)
    expect(((await over.upload.json()) as { error: { reason: string } }).error.reason).toBe('INSUFFICIENT_FUNDS')
  })

  it('still serves what it pinned after a restart, and lets go of it when unpinned', async () => {
    const dag = await fileDag(pseudoRandomBytes(400_000, 11))
    const { queued } = await publish(dag)
    relay = await restart(relay)
    origin = relay.url.replace(/\/$/, '')
    const url = `${origin}/ipfs/${dag.cid.toString()}?format=car`
    expect((await fetch(url)).status).toBe(200)
    expect((await api(`/pins/${queued.requestid}`, { method: 'DELETE' })).status).toBe(202)
    expect((await fetch(url)).status).toBe(404)
    expect((await api(`/pins/${queued.requestid}`)).status).toBe(404)
  })
})

async function restart(relay: RelayProcess): Promise<RelayProcess> {
  await relay.stop()
  return await startRelayProcess({ keyFile: relay.keyFile, staticDir: relay.staticDir, port: relay.port })
}
