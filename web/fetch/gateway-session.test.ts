import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import http from 'node:http'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'
import { importBytes } from '../../shared/cas/files.ts'
import { checkGatewayUrl, openGatewaySession } from './gateway-session.ts'

/** A trustless gateway on loopback that answers every raw block request, honestly or with one byte flipped. */
describe('a gateway session (Helia, trustless-gateway broker)', () => {
  let honest: string
  let liar: string
  let empty: string
  let cid: CID
  const servers: http.Server[] = []
  const store = new VerifiedBlockStore(new MemoryBlockstore())

  async function serve(lie: boolean, holds = true): Promise<string> {
    const server = http.createServer((req, res) => {
      void (async () => {
        if (!holds) {
          res.writeHead(404, { 'content-type': 'text/plain' })
          res.end('not found')
          return
        }
        const bytes = Uint8Array.from(await store.get(cid))
        if (lie) bytes[0] = (bytes[0] as number) ^ 0xff
        res.writeHead(200, { 'content-type': 'application/vnd.ipld.raw' })
        res.end(bytes)
      })()
    })
    servers.push(server)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    return `http://127.0.0.1:${(server.address() as { port: number }).port}`
  }

  beforeAll(async () => {
    cid = (await importBytes(store, [new Uint8Array(5000).fill(9)])).cid
    honest = await serve(false)
    liar = await serve(true)
    empty = await serve(false, false)
  })
  afterAll(() => servers.forEach((s) => s.close()))

  it('delivers a verified block from an honest gateway, kept in the store it was given', async () => {
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const session = await openGatewaySession(honest, mine)
    try {
      expect(Buffer.from(await session.get(cid)).equals(Buffer.from(await store.get(cid)))).toBe(true)
      expect(Buffer.from(await mine.get(cid)).equals(Buffer.from(await store.get(cid)))).toBe(true)
    } finally {
      await session.close()
    }
  })

  it('names bytes that do not match their CID as such (CidMismatchError), not as "unable to fetch"', async () => {
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const session = await openGatewaySession(liar, mine)
    try {
      await expect(session.get(cid)).rejects.toMatchObject({ name: 'CidMismatchError' })
      expect(await mine.has(cid)).toBe(false)
    } finally {
      await session.close()
    }
  })

  it('names a block the gateway does not hold as such (BlockNotFoundError), not as a failure to load it', async () => {
    const session = await openGatewaySession(empty, new VerifiedBlockStore(new MemoryBlockstore()))
    try {
      await expect(session.get(cid)).rejects.toMatchObject({ name: 'BlockNotFoundError' })
    } finally {
      await session.close()
    }
  })

  it('takes https gateways, and plain http only on this machine', () => {
    expect(checkGatewayUrl('https://gateway.example/some/path')).toBe('https://gateway.example')
    expect(checkGatewayUrl('http://127.0.0.1:8787/')).toBe('http://127.0.0.1:8787')
    expect(() => checkGatewayUrl('http://192.168.1.10:8080')).toThrow(/https/)
    expect(() => checkGatewayUrl('ftp://x')).toThrow(/https/)
    expect(() => checkGatewayUrl('not a url')).toThrow(/not a URL/)
    expect(() => checkGatewayUrl('https://user:pw@gateway.example')).toThrow(/password/)
  })
})
