import type { Browser } from '@playwright/test'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'
import type { RelayProcess } from '../e2e/relay-process.ts'
import { addFile, expect, openPerson, pseudoRandomBytes, publish, setPrivacy, shareLinkOf, type Person } from '../e2e/fixtures.ts'

export interface ContentRound {
  /** From opening the link to the first bytes held, and the rate after them, for each source. */
  peer: { firstByteMs: number; bytesPerSecond: number }
  gateway: { firstByteMs: number; bytesPerSecond: number }
  /** The author online and the file published: her browser and the relay's gateway together. */
  together: { firstByteMs: number; bytesPerSecond: number; shares: string }
}

async function timesOf(person: Person, name: string, path?: string): Promise<{ firstByteMs: number; bytesPerSecond: number }> {
  const transfer = person.page.getByTestId('transfer').filter({ hasText: name })
  await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 240_000 })
  if (path !== undefined) await expect(transfer).toHaveAttribute('data-path', path)
  const [started, first, finished] = await Promise.all(
    ['data-started-at', 'data-first-byte-at', 'data-finished-at'].map(async (a) => Number(await transfer.getAttribute(a))),
  )
  return {
    firstByteMs: (first as number) - (started as number),
    bytesPerSecond: (await sizeOf(transfer)) / (((finished as number) - (first as number)) / 1000),
  }
}

async function sizeOf(transfer: ReturnType<Person['page']['getByTestId']>): Promise<number> {
  return Number(await transfer.locator('progress').getAttribute('max'))
}

/**
 * One public file fetched three times, through the app's retrieval chain:
 * directly from its author before she publishes it; from her browser and the
 * relay's gateway together once it is published; and (her browser closed)
 * from the relay's trustless gateway alone.
 */
async function contentRound(browser: Browser, relay: RelayProcess, bytes: number, round: number): Promise<ContentRound> {
  const alice = await openPerson(browser, relay, 'alice')
  const name = `published-${round}.bin`
  await addFile(alice, name, 'application/octet-stream', pseudoRandomBytes(bytes, 5000 + round))
  await setPrivacy(alice, name, 'Public: anyone')
  const link = await shareLinkOf(alice, name)
  const bob = await openPerson(browser, relay, 'bob', link)
  const peer = await timesOf(bob, name, 'direct-webrtc')
  await bob.page.context().close()
  await publish(alice, name, 240_000)
  const cy = await openPerson(browser, relay, 'cy', link)
  const together = {
    ...(await timesOf(cy, name)),
    shares: (await cy.page.getByTestId('transfer').filter({ hasText: name }).getByTestId('transfer-note').textContent()) ?? '',
  }
  await Promise.all([alice.page.context().close(), cy.page.context().close()])
  const dee = await openPerson(browser, relay, 'dee', link)
  const gateway = await timesOf(dee, name, 'gateway')
  await dee.page.context().close()
  return { peer, gateway, together }
}

const ROUNDS = Math.min(Number(process.env.BENCH_ROUNDS ?? 5), 3)
const FILE_BYTES = 32 * 1024 * 1024
const MB = 1_000_000

/** A published 32 MiB file through the retrieval chain: from its author, from the relay's gateway, and from both together. */
export async function contentFigures(ctx: BenchContext): Promise<Figure[]> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const rounds: ContentRound[] = []
  for (let r = 0; r < ROUNDS; r++) {
    rounds.push(await contentRound(browser, relay, FILE_BYTES, r))
    console.log(`  round ${r + 1}/${ROUNDS}: ${(rounds.at(-1)?.together.shares ?? '').trim()}`)
  }
  const rate = (pick: (r: ContentRound) => { bytesPerSecond: number }) => rounds.map((r) => pick(r).bytesPerSecond / MB)
  const firstByte = (pick: (r: ContentRound) => { firstByteMs: number }) => rounds.map((r) => pick(r).firstByteMs)
  const fromPeer = { name: 'from its author, direct', samples: rate((r) => r.peer) }
  return [
    figure('content', 'published 32 MiB from its author, direct', 'MB/s', 'higher', fromPeer.samples),
    figure(
      'content',
      'published 32 MiB from its author: first byte',
      'ms',
      'lower',
      firstByte((r) => r.peer),
    ),
    figure(
      'content',
      "published 32 MiB from the relay's gateway, author gone",
      'MB/s',
      'higher',
      rate((r) => r.gateway),
      {
        reference: fromPeer,
        paired: true,
      },
    ),
    figure(
      'content',
      "published 32 MiB from the relay's gateway: first byte",
      'ms',
      'lower',
      firstByte((r) => r.gateway),
    ),
    figure(
      'content',
      'published 32 MiB from author and gateway together',
      'MB/s',
      'higher',
      rate((r) => r.together),
      {
        reference: fromPeer,
        paired: true,
      },
    ),
  ]
}
