import net from 'node:net'
import { expect, openPerson, test } from './fixtures.ts'
import { scrape, valueOf } from '../relay-server/testing/scrape.ts'

/** Bounded: this many WebSocket upgrade attempts a second, for this long, only at the relay on loopback. */
const PER_SECOND = 200
const SECONDS = 10

/** One upgrade attempt from another loopback address; resolves with the status line's code (0 when cut off). */
async function attempt(port: number): Promise<number> {
  return await new Promise((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port, localAddress: '127.0.0.2' }, () =>
      socket.write(
        'GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n' +
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n',
      ),
    )
    socket.setTimeout(5_000, () => socket.destroy())
    socket.once('data', (data: Buffer) => {
      resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data.toString('latin1'))?.[1] ?? 0))
      socket.destroy()
    })
    socket.once('error', () => resolve(0))
    socket.once('close', () => resolve(0))
  })
}

test('a flood of connections from one host is refused at the door and counted, while a browser joins and is served', async ({
  browser,
  relay,
}) => {
  test.setTimeout(90_000)
  const answers: Promise<number>[] = []
  const flooding = (async () => {
    for (let second = 0; second < SECONDS; second++) {
      const began = Date.now()
      for (let i = 0; i < PER_SECOND; i++) answers.push(attempt(relay.port))
      await new Promise((resolve) => setTimeout(resolve, Math.max(0, 1_000 - (Date.now() - began))))
    }
  })()
  // a second into the flood, someone opens the app
  await new Promise((resolve) => setTimeout(resolve, 1_000))
  const joining = Date.now()
  const ann = await openPerson(browser, relay, 'ann')
  test
    .info()
    .annotations.push({ type: 'browser connected and reachable during the flood after', description: `${Date.now() - joining} ms` })
  await expect(ann.page.getByTestId('network-indicator')).toHaveAttribute('data-tone', 'ok')
  await flooding
  const codes = await Promise.all(answers)
  const refused = codes.filter((c) => c === 429).length
  // the bucket lets a burst of 40 and then 20 a second through: everything else is refused
  expect(codes.length).toBe(PER_SECOND * SECONDS)
  expect(refused).toBeGreaterThan(PER_SECOND * SECONDS - 40 - 20 * (SECONDS + 2) - 1)
  // the relay stays up, and counted each refusal by its reason
  expect((await fetch(`${relay.url}health`)).status).toBe(200)
  const { families } = await scrape(relay.url)
  const counted = ['connection-rate', 'connections-per-address'].map((reason) => valueOf(families, 'relay_refusals_total', { reason }))
  expect(counted[0]).toBeGreaterThan(0)
  expect((counted[0] as number) + (counted[1] as number)).toBe(refused)
})
