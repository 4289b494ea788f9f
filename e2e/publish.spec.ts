import {
  addFile,
  downloadSha256,
  expect,
  openPerson,
  pseudoRandomBytes,
  publish,
  setPrivacy,
  sha256,
  shareLinkOf,
  test,
} from './fixtures.ts'
import { startRelayProcess } from './relay-process.ts'

test('a published file outlives its author’s browser: a stranger gets it from the relay, verified; a private one is never asked of it', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const file = pseudoRandomBytes(900 * 1024 + 17, 21)
  const cid = await addFile(alice, 'public-notes.bin', 'application/octet-stream', file)
  // only public files can be published: the action appears once the file is public
  await expect(alice.page.getByRole('button', { name: 'Publish public-notes.bin' })).toHaveCount(0)
  await setPrivacy(alice, 'public-notes.bin', 'Public: anyone')
  await publish(alice, 'public-notes.bin')
  const publicLink = await shareLinkOf(alice, 'public-notes.bin')
  // shared three ways: the app link, ipfs://, and a web address on the relay that any browser or tool opens
  await alice.page.getByRole('button', { name: 'Share public-notes.bin' }).click()
  await expect(alice.page.getByLabel('IPFS link')).toHaveValue(`ipfs://${cid}`)
  const webAddress = await alice.page.getByLabel('Gateway address').inputValue()
  await alice.page.getByRole('button', { name: 'Close' }).click()
  const plain = await alice.page.request.get(webAddress)
  expect(plain.headers()['content-disposition']).toBe('attachment; filename="public-notes.bin"')
  expect(sha256(await plain.body())).toBe(sha256(file))
  const secretCid = await addFile(alice, 'secret.txt', 'text/plain', Buffer.from('for trusted eyes only'))
  const secretLink = await shareLinkOf(alice, 'secret.txt')
  // the author leaves
  await alice.page.context().close()

  const bob = await openPerson(browser, relay, 'bob')
  const asked: string[] = []
  bob.page.on('request', (request) => asked.push(request.url()))
  await bob.page.goto(publicLink)
  const transfer = bob.page.getByTestId('transfer').filter({ hasText: 'public-notes.bin' })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(transfer).toHaveAttribute('data-path', 'gateway')
  await expect(transfer.getByTestId('transfer-note')).toContainText("so it came from the relay's gateway")
  expect(await downloadSha256(bob, 'public-notes.bin')).toBe(sha256(file))
  expect(asked.some((url) => url.includes(`/ipfs/${cid}`))).toBe(true)

  // the private file: its holder is gone, and nobody else is asked for it
  await bob.page.getByLabel('Open a share link').fill(secretLink)
  await bob.page.getByRole('button', { name: 'Fetch' }).click()
  await expect(bob.page.getByTestId('transfer').filter({ hasText: 'secret.txt' })).toHaveAttribute('data-state', 'failed', {
    timeout: 60_000,
  })
  expect(asked.filter((url) => url.includes(secretCid))).toEqual([])

  // the relay restarts: what it pinned is still there for a newcomer
  await relay.stop()
  const again = await startRelayProcess({ keyFile: relay.keyFile, port: relay.port })
  try {
    const cy = await openPerson(browser, again, 'cy', publicLink)
    const cyTransfer = cy.page.getByTestId('transfer').filter({ hasText: 'public-notes.bin' })
    await expect(cyTransfer).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
    expect(await downloadSha256(cy, 'public-notes.bin')).toBe(sha256(file))
  } finally {
    await again.stop()
  }
})

test('a published file also goes to another pinning service the person added, and leaves both when unpinned', async ({
  browser,
  relay,
}) => {
  const other = await startRelayProcess()
  try {
    const alice = await openPerson(browser, relay, 'alice')
    const otherUrl = other.url.replace(/\/$/, '')
    // another relay like this one: its token is made by Alice's DID, so no token is given
    await alice.page.getByLabel(/Other pinning services/).fill(otherUrl)
    await alice.page.getByRole('button', { name: 'Save pinning services' }).click()
    const file = pseudoRandomBytes(200 * 1024, 99)
    const cid = await addFile(alice, 'twice.bin', 'application/octet-stream', file)
    await setPrivacy(alice, 'twice.bin', 'Public: anyone')
    await alice.page.getByRole('button', { name: 'Publish twice.bin' }).click()
    const state = alice.page.getByTestId('file-row').filter({ hasText: 'twice.bin' }).getByTestId('pin-state')
    await expect(state.locator('[data-status="pinned"]')).toHaveCount(2)
    await expect(state).toContainText(`pinned on ${new URL(otherUrl).host}`)
    const there = await fetch(`${otherUrl}/ipfs/${cid}`)
    expect(sha256(new Uint8Array(await there.arrayBuffer()))).toBe(sha256(file))

    await alice.page.getByRole('button', { name: 'Unpin twice.bin' }).click()
    await expect(alice.page.getByRole('button', { name: 'Publish twice.bin' })).toBeVisible()
    expect((await fetch(`${otherUrl}/ipfs/${cid}`)).status).toBe(404)
    expect((await fetch(`${relay.url}ipfs/${cid}`)).status).toBe(404)
  } finally {
    await other.stop()
  }
})

test('a large published file whose author is online comes from her browser and the relay together, every block checked', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  // large enough that the author's browser is still sending when the relay's first answer comes, on a busy machine too
  const file = pseudoRandomBytes(16 * 1024 * 1024 + 5, 77)
  await addFile(alice, 'together.bin', 'application/octet-stream', file)
  await setPrivacy(alice, 'together.bin', 'Public: anyone')
  await publish(alice, 'together.bin')
  const link = await shareLinkOf(alice, 'together.bin')

  const bob = await openPerson(browser, relay, 'bob', link)
  const transfer = bob.page.getByTestId('transfer').filter({ hasText: 'together.bin' })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 90_000 })
  const note = transfer.getByTestId('transfer-note')
  await expect(note).toContainText("the sharer's browser (")
  await expect(note).toContainText("the relay's gateway (")
  await expect(note).toContainText('together')
  expect(await downloadSha256(bob, 'together.bin')).toBe(sha256(file))
})
