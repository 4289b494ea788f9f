import { addFile, downloadSha256, expect, openPerson, pseudoRandomBytes, setPrivacy, sha256, shareLinkOf, test } from './fixtures.ts'

test('a file goes from one browser to another over a direct WebRTC link, and keeps going without the relay', async ({ browser, relay }) => {
  const alice = await openPerson(browser, relay, 'alice')
  const bob = await openPerson(browser, relay, 'bob')

  // several 256 KiB chunks: a real UnixFS DAG, not a single block
  const big = pseudoRandomBytes(6 * 1024 * 1024 + 123, 42)
  const bigCid = await addFile(alice, 'big.bin', 'application/octet-stream', big)
  expect(bigCid).toMatch(/^bafybei/)
  // bob is on nobody's trust list: a link for anyone means a public file
  await setPrivacy(alice, 'big.bin', 'Public: anyone')
  const link = await shareLinkOf(alice, 'big.bin')

  await bob.page.goto(link)
  const transfer = bob.page.getByTestId('transfer').filter({ hasText: 'big.bin' })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 60_000 })
  await expect(transfer).toHaveAttribute('data-path', 'direct-webrtc')
  await expect(bob.page.getByTestId('peer')).toHaveAttribute('data-path', 'direct-webrtc')
  // both sides proved their DIDs on the direct link before any block moved
  await alice.page.getByRole('tab', { name: 'Identity' }).click()
  const aliceDid = await alice.page.getByLabel('Your DID').inputValue()
  await alice.page.getByRole('tab', { name: 'Library' }).click()
  await expect(bob.page.getByTestId('peer-did')).toHaveAttribute('data-did', aliceDid)
  await expect(bob.page.getByTestId('file-row').filter({ hasText: 'big.bin' })).toHaveAttribute('data-cid', bigCid)
  expect(await downloadSha256(bob, 'big.bin')).toBe(sha256(big))

  // the relay only set the link up: without it, a second file still flows
  await relay.stop()
  await expect(bob.page.getByTestId('relay-state')).not.toHaveAttribute('data-state', 'connected', { timeout: 20_000 })
  await expect(alice.page.getByTestId('relay-state')).not.toHaveAttribute('data-state', 'connected', { timeout: 20_000 })

  const note = Buffer.from('{"second":"file","sent":"without the relay"}')
  await addFile(alice, 'note.json', 'application/json', note)
  await setPrivacy(alice, 'note.json', 'Public: anyone')
  const secondLink = await shareLinkOf(alice, 'note.json')
  await bob.page.getByLabel('Open a share link').fill(secondLink)
  await bob.page.getByRole('button', { name: 'Fetch' }).click()
  await expect(bob.page.getByTestId('transfer').filter({ hasText: 'note.json' })).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
  expect(await downloadSha256(bob, 'note.json')).toBe(sha256(note))

  await bob.page.getByRole('button', { name: 'Preview note.json' }).click()
  await expect(bob.page.getByTestId('preview-text')).toContainText('"sent": "without the relay"')
})

test('a fetch cut off by a reload, then by going offline, goes on each time and ends with the whole file, in one transfer', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const file = pseudoRandomBytes(32 * 1024 * 1024 + 7, 31)
  await addFile(alice, 'reloaded.bin', 'application/octet-stream', file)
  await setPrivacy(alice, 'reloaded.bin', 'Public: anyone')
  const link = await shareLinkOf(alice, 'reloaded.bin')

  const bob = await openPerson(browser, relay, 'bob')
  // opened on a page already running, the fetch starts at once: the reload comes well before its end
  await bob.page.goto(link)
  const transfer = bob.page.getByTestId('transfer').filter({ hasText: 'reloaded.bin' })
  const held = async () => Number((await transfer.locator('progress').getAttribute('value')) ?? 0)
  await expect.poll(held, { timeout: 60_000, intervals: [20] }).toBeGreaterThan(0)
  await expect(transfer).toHaveAttribute('data-state', 'fetching')
  await bob.page.reload()
  // the link left the address when it was opened: the fetch comes back because the app kept it
  expect(new URL(bob.page.url()).hash).toBe('')
  // cut off by going offline as soon as it is fetching again (well before its end), it goes on once back online
  await expect.poll(async () => await transfer.getAttribute('data-state'), { timeout: 30_000, intervals: [20] }).toBe('fetching')
  await bob.page.getByLabel('Work offline').check()
  await expect(transfer).toHaveAttribute('data-state', 'waiting')
  // going offline stopped the fetch: no fault of the sharer, whose record shows no failure; and the
  // network view drawn with the waiting transfer shows no peer left
  await expect(bob.page.getByTestId('source-record').filter({ hasText: "the sharer's browser" })).toHaveCount(0)
  expect(await bob.page.getByTestId('peer').count()).toBe(0)
  // still offline after a reload, it shows waiting, and goes on in the same row once online
  await bob.page.reload()
  await expect(transfer).toHaveAttribute('data-state', 'waiting')
  await expect(transfer).toContainText('waiting for the network')
  // with the bytes it already kept, not 0 B
  await expect.poll(held, { timeout: 10_000 }).toBeGreaterThan(0)
  await bob.page.getByLabel('Work offline').uncheck()
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 90_000 })
  await expect(transfer).toHaveCount(1)
  expect(await downloadSha256(bob, 'reloaded.bin')).toBe(sha256(file))

  // a fetch that ended is not taken up again
  await bob.page.reload()
  await expect(bob.page.getByTestId('share-address')).toHaveAttribute('data-live', 'true', { timeout: 20_000 })
  await expect(bob.page.getByTestId('file-row').filter({ hasText: 'reloaded.bin' })).toBeVisible()
  await expect(bob.page.getByTestId('transfer')).toHaveCount(0)
})
