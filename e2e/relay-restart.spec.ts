import { addFile, expect, openPerson, pseudoRandomBytes, setPrivacy, sha256, downloadSha256, shareLinkOf, test } from './fixtures.ts'
import { createSpace, invite, noteTextOf, typeInNote } from './notes.ts'
import { startRelayProcess } from './relay-process.ts'

test('the relay stops in order with a browser connected, and after it restarts a newcomer reaches that browser without a reload', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const file = pseudoRandomBytes(700 * 1024, 7)
  await addFile(alice, 'after-restart.bin', 'application/octet-stream', file)
  await setPrivacy(alice, 'after-restart.bin', 'Public: anyone')
  const link = await shareLinkOf(alice, 'after-restart.bin')

  // SIGTERM with a browser connected: the relay exits by itself, cleanly, in bounded time
  const stopping = Date.now()
  await relay.stop()
  expect(relay.exitCode).toBe(0)
  expect(Date.now() - stopping).toBeLessThan(10_000)
  const share = alice.page.getByTestId('share-address')
  await expect(alice.page.getByTestId('relay-state')).toHaveAttribute('data-state', /^(disconnected|connecting)$/)
  await expect(share).toHaveAttribute('data-live', 'false')
  // one truth: no "connected" beside "gone", in the panel or in the header
  await expect(alice.page.getByTestId('relay-state')).not.toContainText('Connected')
  await expect(alice.page.getByTestId('network-indicator')).toHaveText(/^(Offline: relay unreachable|Connecting…)$/)

  // same key, same port: the browser holds a reservation again by itself, within 10 s of the relay's return
  const again = await startRelayProcess({ keyFile: relay.keyFile, port: relay.port })
  try {
    const back = Date.now()
    await expect(share).toHaveAttribute('data-live', 'true', { timeout: 10_000 })
    test.info().annotations.push({ type: 'reserved again after', description: `${Date.now() - back} ms` })
    await expect(share).toContainText('Reachable through the relay.')
    await expect(alice.page.getByTestId('network-indicator')).toHaveAttribute('data-tone', 'ok')
    await expect(alice.page.getByTestId('network-indicator')).toHaveText(/^Online · \d+ peers?$/)

    // a newcomer opens the link made before the restart, and gets the file over a direct link
    const bob = await openPerson(browser, again, 'bob', link)
    const transfer = bob.page.getByTestId('transfer').filter({ hasText: 'after-restart.bin' })
    await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 30_000 })
    await expect(transfer).toHaveAttribute('data-path', 'direct-webrtc')
    expect(await downloadSha256(bob, 'after-restart.bin')).toBe(sha256(file))
  } finally {
    await again.stop()
  }
})

test('two people in a space: while the relay is down their edits keep flowing over the direct link; after it restarts both are reachable within 10 s and a third person joins', async ({
  browser,
  relay,
}) => {
  test.setTimeout(180_000)
  const ann = await openPerson(browser, relay, 'ann')
  const bob = await openPerson(browser, relay, 'bob')
  await createSpace(ann, 'Outage')
  await bob.page.goto(await invite(ann, 'read and write'))
  await expect(bob.page.getByRole('heading', { name: 'Outage' })).toBeVisible({ timeout: 30_000 })
  for (const person of [ann, bob])
    await expect(person.page.getByTestId('peer')).toHaveAttribute('data-path', 'direct-webrtc', { timeout: 30_000 })

  await relay.stop()
  for (const person of [ann, bob]) await expect(person.page.getByTestId('share-address')).toHaveAttribute('data-live', 'false')
  await typeInNote(ann, 'written while the relay is down')
  await expect.poll(async () => await noteTextOf(bob.page), { timeout: 15_000 }).toContain('written while the relay is down')

  const again = await startRelayProcess({ keyFile: relay.keyFile, port: relay.port })
  try {
    const back = Date.now()
    for (const person of [ann, bob])
      await expect(person.page.getByTestId('share-address')).toHaveAttribute('data-live', 'true', { timeout: 10_000 })
    test.info().annotations.push({ type: 'both reachable again after', description: `${Date.now() - back} ms` })

    const cy = await openPerson(browser, again, 'cy')
    await cy.page.goto(await invite(ann, 'read and write'))
    await expect(cy.page.getByRole('heading', { name: 'Outage' })).toBeVisible({ timeout: 30_000 })
    await expect.poll(async () => await noteTextOf(cy.page), { timeout: 15_000 }).toContain('written while the relay is down')
    await typeInNote(cy, ' and Cy joined after')
    for (const person of [ann, bob])
      await expect.poll(async () => await noteTextOf(person.page), { timeout: 15_000 }).toContain('and Cy joined after')
  } finally {
    await again.stop()
  }
})
