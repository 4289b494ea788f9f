import http from 'node:http'
import { unixfs } from '@helia/unixfs'
import { MemoryBlockstore } from 'blockstore-core/memory'
import { CID } from 'multiformats/cid'
import { asUnixfsBlockstore, VerifiedBlockStore } from '../shared/cas/blocks.ts'
import { dagToCar } from '../shared/cas/car.ts'
import { createPinToken } from '../shared/auth/pin-token.ts'
import { generateIdentity } from '../shared/identity/did-key.ts'
import { addFile, downloadSha256, expect, openPerson, pseudoRandomBytes, setPrivacy, sha256, test, publish } from './fixtures.ts'

/** A trustless gateway on loopback that passes on the relay's blocks with one byte changed, counting requests. */
async function lyingGateway(relayUrl: string): Promise<{ url: string; requests: string[]; close: () => void }> {
  const requests: string[] = []
  const server = http.createServer((req, res) => {
    requests.push(req.url ?? '')
    res.setHeader('access-control-allow-origin', '*')
    if (req.method === 'OPTIONS') return void res.writeHead(204).end()
    void fetch(new URL(req.url ?? '/', relayUrl), { headers: { accept: 'application/vnd.ipld.raw' } }).then(async (real) => {
      const bytes = new Uint8Array(await real.arrayBuffer())
      if (real.ok && bytes.length > 0) bytes[0] = (bytes[0] as number) ^ 0xff
      res.writeHead(real.status, { 'content-type': 'application/vnd.ipld.raw' })
      res.end(bytes)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { url: `http://127.0.0.1:${(server.address() as { port: number }).port}`, requests, close: () => server.close() }
}

test('a gateway that sends tampered bytes is refused, shown as such, and the next gateway delivers; content opens from an ipfs:// link', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const file = pseudoRandomBytes(300 * 1024 + 5, 33)
  const cid = await addFile(alice, 'map.bin', 'application/octet-stream', file)
  await setPrivacy(alice, 'map.bin', 'Public: anyone')
  await publish(alice, 'map.bin')
  await alice.page.context().close()

  const liar = await lyingGateway(relay.url)
  try {
    const bob = await openPerson(browser, relay, 'bob')
    // Bob asks the lying gateway first, then the relay's own
    await bob.page.getByLabel(/Gateways for public content/).fill(`${liar.url}\n${relay.url}`)
    await bob.page.getByRole('button', { name: 'Save gateways' }).click()
    await bob.page.getByLabel(/Open a share link/).fill(`ipfs://${cid}`)
    await bob.page.getByRole('button', { name: 'Fetch' }).click()

    const transfer = bob.page.getByTestId('transfer').filter({ hasText: cid.slice(0, 12) })
    await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
    await expect(transfer.getByTestId('transfer-note')).toContainText("it came from the relay's gateway")
    await transfer.getByText('Sources tried').click()
    await expect(transfer.locator('[data-outcome="bad-bytes"]')).toContainText(`the gateway ${new URL(liar.url).host}`)
    await expect(bob.page.locator(`[data-testid="source-record"][data-source="gateway:${liar.url}"]`)).toHaveAttribute(
      'data-bad-bytes',
      '1',
    )
    expect(liar.requests.some((url) => url.includes(cid))).toBe(true)
    expect(await downloadSha256(bob, cid)).toBe(sha256(file))
  } finally {
    liar.close()
  }
})

/** Pins a directory made elsewhere (as `ipfs add -r` makes it) on the relay, through its Pinning Service API. */
async function pinDirectoryElsewhere(relayUrl: string, files: Record<string, string>): Promise<string> {
  const store = new VerifiedBlockStore(new MemoryBlockstore())
  let root = ''
  const entries = Object.entries(files).map(([path, text]) => ({ path: `folder/${path}`, content: new TextEncoder().encode(text) }))
  for await (const entry of unixfs({ blockstore: asUnixfsBlockstore(store) }).addAll(entries, { cidVersion: 1, rawLeaves: true }))
    if (entry.path === 'folder') root = entry.cid.toString()
  const origin = relayUrl.replace(/\/$/, '')
  const headers = { authorization: `Bearer ${await createPinToken(generateIdentity(), origin)}` }
  const queued = (await (await fetch(`${origin}/pins`, { method: 'POST', headers, body: JSON.stringify({ cid: root }) })).json()) as {
    requestid: string
  }
  const car: Uint8Array[] = []
  for await (const part of dagToCar(store, CID.parse(root))) car.push(part)
  const pinned = await fetch(`${origin}/pins/${queued.requestid}/car`, { method: 'PUT', headers, body: Buffer.concat(car) })
  expect(pinned.status).toBe(200)
  return root
}

test('a directory made elsewhere opens from its ipfs:// link as a listing, and a file inside is kept and opened', async ({
  browser,
  relay,
}) => {
  const root = await pinDirectoryElsewhere(relay.url, { 'readme.txt': 'Start here.', 'plan.md': '# Plan\n\n1. Seeds' })
  const bob = await openPerson(browser, relay, 'bob')
  await bob.page.getByLabel(/Open a share link/).fill(`ipfs://${root}`)
  await bob.page.getByRole('button', { name: 'Fetch' }).click()
  await expect(bob.page.getByTestId('transfer').filter({ hasText: root.slice(0, 12) })).toHaveAttribute('data-state', 'done', {
    timeout: 30_000,
  })
  await bob.page.getByRole('button', { name: `Preview ${root}` }).click()
  const listing = bob.page.getByTestId('directory-listing')
  await expect(listing).toContainText('plan.md')
  await expect(listing).toContainText('readme.txt')
  await bob.page.getByRole('button', { name: 'Keep readme.txt in the library' }).click()
  await bob.page.getByRole('button', { name: 'Close' }).click()
  await bob.page.getByRole('button', { name: 'Preview readme.txt' }).click()
  await expect(bob.page.getByTestId('preview-text')).toHaveText('Start here.')
})
