import { addFile, expect, openPerson, setPrivacy, shareLinkOf, test } from './fixtures.ts'

// Chromium can open and close the dialler's `init` data channel before the
// peer connection reports "connected"; @libp2p/webrtc 6.0.33 then waits for an
// `open` that never comes and the dial times out (patches/). Each iteration
// loads the receiving page afresh, so every transfer is a new WebRTC dial.
const DIALS = Number(process.env.DIALS ?? 15)

test(`${DIALS} fresh direct WebRTC dials in a row all succeed`, async ({ browser, relay }) => {
  test.setTimeout(300_000)
  const alice = await openPerson(browser, relay, 'alice')
  const bob = await openPerson(browser, relay, 'bob')
  await addFile(alice, 'ping.txt', 'text/plain', Buffer.from('ping'))
  await setPrivacy(alice, 'ping.txt', 'Public: anyone')
  const link = await shareLinkOf(alice, 'ping.txt')

  const outcomes: string[] = []
  // from the start to the link the bytes go over: the wait for the direct link follows its
  // DID proof; a wait of 10 s or more means it ran to its limit (network.ts DIRECT_WAIT_MS)
  const waits: number[] = []
  for (let i = 1; i <= DIALS; i++) {
    // leave first: a goto that changes only the fragment would not reload
    await bob.page.goto('about:blank')
    await bob.page.goto(link)
    const transfer = bob.page.getByTestId('transfer')
    await expect(transfer, `dial ${i} of ${DIALS}`).toHaveAttribute('data-state', /^(done|failed)$/, { timeout: 30_000 })
    outcomes.push(`${await transfer.getAttribute('data-state')}/${await transfer.getAttribute('data-path')}`)
    waits.push(Number(await transfer.getAttribute('data-linked-at')) - Number(await transfer.getAttribute('data-started-at')))
    // a file already here is not fetched again: take it out, so the next round dials
    await bob.page.getByRole('button', { name: 'Delete ping.txt' }).click()
    await expect(bob.page.getByTestId('file-row')).toHaveCount(0)
  }
  expect(outcomes.filter((o) => o !== 'done/direct-webrtc')).toEqual([])
  expect(waits.filter((ms) => !(ms < 10_000))).toEqual([])
})
