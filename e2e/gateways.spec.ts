import http from 'node:http'
import { addFile, downloadSha256, expect, openPerson, pseudoRandomBytes, setPrivacy, sha256, test } from './fixtures.ts'

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
  await alice.page.getByRole('button', { name: 'Publish map.bin' }).click()
  await expect(alice.page.getByTestId('pin-state')).toHaveAttribute('data-state', 'pinned')
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
