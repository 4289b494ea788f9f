import { chromium, type Browser } from '@playwright/test'
import { CHROMIUM_ARGS, CHROMIUM_PATH } from '../e2e/chromium.ts'
import { startRelayProcess, type RelayProcess } from '../e2e/relay-process.ts'
import { addFile, expect, openPerson, pseudoRandomBytes, setPrivacy, shareLinkOf } from '../e2e/fixtures.ts'
import { rawDataChannelMs } from './raw-datachannel.ts'
import { appFigures, yWebrtcFigures, type SyncFigures } from './spaces.ts'
import { contentRound, type ContentRound } from './content.ts'
import { relayScale, type RelayScaleStep } from './relay-scale.ts'
import { networkRounds, type NetworkRound } from './network.ts'
import { firstScreenRounds, type FirstScreenRound } from './first-screen.ts'
import { firstScreenJs } from '../scripts/first-screen.ts'
import { credentialFigures, type CredentialFigures } from './credentials.ts'

// Figures for the README and issue notes: medians over rounds, and ratios
// measured side by side in the same run. Not a test: nothing here gates CI.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5)
const FILE_BYTES = 32 * 1024 * 1024
const MB = 1_000_000

interface Round {
  loadToLinkMs: number
  appTransferMs: number
  rawTransferMs: number
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** The relay alone at these numbers of reserved peers (Node libp2p clients over real WebSockets on loopback). */
const RELAY_STEPS = [100, 500, 1000]
const NETWORK_ROUNDS = Number(process.env.BENCH_NETWORK_ROUNDS ?? 20)

const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)] as number
}

function printNetwork(rounds: NetworkRound[]): void {
  const line = (label: string, pick: (r: NetworkRound) => number) =>
    console.log(`  ${label.padEnd(58)} median ${median(rounds.map(pick)).toFixed(0)} ms, p95 ${p95(rounds.map(pick)).toFixed(0)} ms`)
  console.log(`Page load (Bob reloads ${rounds.length} times; Ann stays in their space)`)
  line('→ Ann proven over the first connection (relayed)', (r) => r.provenMs)
  line('→ Ann proven over a direct WebRTC link', (r) => r.directMs)
  line('→ the note open in the editor (page readiness)', (r) => r.editorMs)
  line('→ an edit Ann made meanwhile shown', (r) => r.firstEditMs)
  console.log(
    `  edit shown before the direct link in ${rounds.filter((r) => r.firstEditMs < r.directMs).length} of ${rounds.length} loads (it came over the relay)`,
  )
}

function printRelayScale(figures: RelayScaleStep[]): void {
  console.log('Relay: one process, reserved peers holding WebSocket connections on loopback (its own /metrics)')
  for (const f of figures)
    console.log(
      `  ${String(f.peers).padStart(5)} peers   resident ${f.rssMiB.toFixed(0)} MiB · CPU while idle ${f.idleCpuPercent.toFixed(1)} % of a core · /health in ${f.healthMs.toFixed(1)} ms · reserved in ${(f.reserveMs / 1000).toFixed(1)} s`,
    )
}

function printSync(app: SyncFigures, reference: SyncFigures): void {
  const stats = (f: SyncFigures) => {
    const sorted = [...f.editLatencyMs].sort((a, b) => a - b)
    return {
      median: median(sorted),
      p95: p95(sorted),
      n: sorted.length,
    }
  }
  const [a, r] = [stats(app), stats(reference)]
  console.log(`Spaces: two Chromium contexts, one note in CodeMirror bound to Yjs; reference: y-webrtc with its own signalling server`)
  console.log(`  one edit, keydown on A → shown on B   app median ${a.median.toFixed(1)} ms, p95 ${a.p95.toFixed(1)} ms (${a.n} edits)`)
  console.log(
    `                                         y-webrtc median ${r.median.toFixed(1)} ms, p95 ${r.p95.toFixed(1)} ms; app / y-webrtc median ${(a.median / r.median).toFixed(2)}`,
  )
  console.log(`  1000 offline edits on each side → equal after going online (reconnect and dial included)`)
  console.log(
    `                                         app ${app.offlineConvergeMs} ms; y-webrtc ${reference.offlineConvergeMs} ms; ratio ${(app.offlineConvergeMs / reference.offlineConvergeMs).toFixed(2)}`,
  )
}

const CREDENTIAL_ROUNDS = Number(process.env.BENCH_CREDENTIAL_ROUNDS ?? 300)

function printCredentials(f: CredentialFigures): void {
  const kB = (n: number) => `${(n / 1000).toFixed(1)} kB`
  const ms = (xs: number[]) => `median ${median(xs).toFixed(2)} ms, p95 ${p95(xs).toFixed(2)} ms`
  console.log(
    `Trust credentials in Node: did-jwt-vc directly (before) and through the Veramo agent, ${f.issue.agent.length} rounds alternated`,
  )
  console.log(`  credential code bundled for the browser   before ${kB(f.size.before.raw)} (${kB(f.size.before.gzip)} gzip)`)
  console.log(
    `                                            agent, Veramo whole   ${kB(f.size.wholeAgent.raw)} (${kB(f.size.wholeAgent.gzip)} gzip)`,
  )
  console.log(
    `                                            agent, as built (trimmed) ${kB(f.size.agent.raw)} (${kB(f.size.agent.gzip)} gzip)`,
  )
  console.log(`  agent loaded and created (once)           ${f.agentLoadMs.toFixed(0)} ms`)
  console.log(`  issue one (sign, verify, read the claim)  before ${ms(f.issue.direct)}`)
  console.log(
    `                                            agent  ${ms(f.issue.agent)}; ratio ${(median(f.issue.agent) / median(f.issue.direct)).toFixed(2)}`,
  )
  console.log(`  verify one                                before ${ms(f.verify.direct)}`)
  console.log(
    `                                            agent  ${ms(f.verify.agent)}; ratio ${(median(f.verify.agent) / median(f.verify.direct)).toFixed(2)}`,
  )
  console.log(`  present two in a VP for one connection    agent  ${ms(f.present)}`)
  console.log(`  verify that VP (binding and signature)    agent  ${ms(f.verifyPresentation)}`)
}

const FIRST_SCREEN_ROUNDS = Number(process.env.BENCH_FIRST_SCREEN_ROUNDS ?? 10)

/** The first screen of this build, and of an older build beside it when BENCH_BASELINE_DIST names one (served by the same relay code). */
async function firstScreen(browser: Browser, relay: RelayProcess): Promise<void> {
  const builds: { label: string; dist: string; relay: RelayProcess }[] = [{ label: 'this build', dist: 'dist', relay }]
  const baseline = process.env.BENCH_BASELINE_DIST
  if (baseline !== undefined)
    builds.unshift({ label: `baseline (${baseline})`, dist: baseline, relay: await startRelayProcess({ staticDir: baseline }) })
  const results: { label: string; js: ReturnType<typeof firstScreenJs>; rounds: FirstScreenRound[] }[] = []
  try {
    // alternate the builds round by round, so the machine's drift falls on both alike
    const rounds = new Map(builds.map((b) => [b.label, [] as FirstScreenRound[]]))
    for (let r = 0; r < FIRST_SCREEN_ROUNDS; r++)
      for (const b of builds) rounds.get(b.label)?.push(...(await firstScreenRounds(browser, b.relay, 1)))
    for (const b of builds) results.push({ label: b.label, js: firstScreenJs(b.dist), rounds: rounds.get(b.label) ?? [] })
  } finally {
    for (const b of builds) if (b.relay !== relay) await b.relay.stop()
  }
  console.log(`First screen: navigation start → identity and library shown (${FIRST_SCREEN_ROUNDS} rounds, a new browser context each)`)
  for (const { label, js, rounds } of results) {
    const cold = rounds.map((r) => r.coldMs)
    const warm = rounds.map((r) => r.warmMs)
    const served = rounds.every((r) => r.fromServiceWorker)
      ? 'service worker'
      : rounds.some((r) => r.fromServiceWorker)
        ? 'mixed'
        : 'HTTP cache'
    console.log(`  ${label}: initial JavaScript ${(js.gzipBytes / 1000).toFixed(1)} kB gzipped in ${js.chunks} chunks`)
    console.log(`    cold (first visit)          median ${median(cold).toFixed(0)} ms, p95 ${p95(cold).toFixed(0)} ms`)
    console.log(`    warm (reload, ${served.padEnd(14)}) median ${median(warm).toFixed(0)} ms, p95 ${p95(warm).toFixed(0)} ms`)
  }
}

async function main(): Promise<void> {
  // BENCH_CREDENTIALS_ONLY=1 measures the credential code alone (sizes, issue and verify, before the agent and through it)
  if (process.env.BENCH_CREDENTIALS_ONLY === '1') return printCredentials(await credentialFigures(CREDENTIAL_ROUNDS))
  // BENCH_RELAY_ONLY=1 measures the relay at 100, 500 and 1000 reserved peers alone
  if (process.env.BENCH_RELAY_ONLY === '1') return printRelayScale(await relayScale(RELAY_STEPS))
  const relay = await startRelayProcess()
  const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS })
  // BENCH_FIRST_SCREEN_ONLY=1 measures the first screen alone (BENCH_BASELINE_DIST: an older build beside it)
  if (process.env.BENCH_FIRST_SCREEN_ONLY === '1') {
    try {
      await firstScreen(browser, relay)
    } finally {
      await browser.close()
      await relay.stop()
    }
    return
  }
  // BENCH_NETWORK_ONLY=1 measures page load → connections and first edit alone; BENCH_SPACES_ONLY=1 the note sync against y-webrtc
  if (process.env.BENCH_NETWORK_ONLY === '1' || process.env.BENCH_SPACES_ONLY === '1') {
    try {
      if (process.env.BENCH_NETWORK_ONLY === '1') printNetwork(await networkRounds(browser, relay, NETWORK_ROUNDS))
      else printSync(await appFigures(browser, relay), await yWebrtcFigures(browser, relay))
    } finally {
      await browser.close()
      await relay.stop()
    }
    return
  }
  const rounds: Round[] = []
  const content: ContentRound[] = []
  let app: SyncFigures | undefined
  let reference: SyncFigures | undefined
  let network: NetworkRound[] | undefined
  // BENCH_CONTENT_ONLY=1 measures the peer and gateway retrieval of a published file alone
  const contentOnly = process.env.BENCH_CONTENT_ONLY === '1'
  try {
    for (let r = 0; r < (contentOnly ? 0 : ROUNDS); r++) {
      const alice = await openPerson(browser, relay, 'alice')
      const bob = await openPerson(browser, relay, 'bob')
      const name = `bench-${r}.bin`
      await addFile(alice, name, 'application/octet-stream', pseudoRandomBytes(FILE_BYTES, 1000 + r))
      await setPrivacy(alice, name, 'Public: anyone')
      const link = await shareLinkOf(alice, name)

      // a fresh page load: boot, relay, WebRTC dial, then the transfer
      await bob.page.goto('about:blank')
      await bob.page.goto(link)
      const transfer = bob.page.getByTestId('transfer')
      await expect(transfer).toHaveAttribute('data-state', 'done', { timeout: 180_000 })
      await expect(transfer).toHaveAttribute('data-path', 'direct-webrtc')
      const timeOrigin = await bob.page.evaluate(() => performance.timeOrigin)
      const linkedAt = Number(await transfer.getAttribute('data-linked-at'))
      const finishedAt = Number(await transfer.getAttribute('data-finished-at'))

      const rawTransferMs = await rawDataChannelMs(alice.page, bob.page, FILE_BYTES)
      rounds.push({ loadToLinkMs: linkedAt - timeOrigin, appTransferMs: finishedAt - linkedAt, rawTransferMs })
      const last = rounds.at(-1) as Round
      console.log(
        `round ${r + 1}/${ROUNDS}: page load → direct link ${last.loadToLinkMs.toFixed(0)} ms; ` +
          `app ${(FILE_BYTES / MB / (last.appTransferMs / 1000)).toFixed(1)} MB/s; raw ${(FILE_BYTES / MB / (last.rawTransferMs / 1000)).toFixed(1)} MB/s`,
      )
      await Promise.all([alice.page.context().close(), bob.page.context().close()])
    }
    if (process.env.BENCH_FILES_ONLY !== '1') {
      for (let r = 0; r < Math.min(ROUNDS, 3); r++) {
        content.push(await contentRound(browser, relay, FILE_BYTES, r))
        const last = content.at(-1) as ContentRound
        console.log(
          `content round ${r + 1}: peer first byte ${last.peer.firstByteMs} ms, ${(last.peer.bytesPerSecond / MB).toFixed(1)} MB/s; ` +
            `relay gateway first byte ${last.gateway.firstByteMs} ms, ${(last.gateway.bytesPerSecond / MB).toFixed(1)} MB/s; ` +
            `together first byte ${last.together.firstByteMs} ms, ${(last.together.bytesPerSecond / MB).toFixed(1)} MB/s (${last.together.shares.trim()})`,
        )
      }
    }
    // BENCH_FILES_ONLY=1 measures the file path alone (quicker, when working on it)
    if (process.env.BENCH_FILES_ONLY !== '1' && !contentOnly) {
      app = await appFigures(browser, relay)
      reference = await yWebrtcFigures(browser, relay)
      network = await networkRounds(browser, relay, NETWORK_ROUNDS)
    }
    if (process.env.BENCH_FILES_ONLY !== '1' && !contentOnly) await firstScreen(browser, relay)
  } finally {
    await browser.close()
    await relay.stop()
  }

  console.log('')
  if (content.length > 0) {
    const m = (pick: (r: ContentRound) => number) => median(content.map(pick))
    console.log(`Published 32 MiB file, fetched through the app's retrieval chain (${content.length} rounds)`)
    console.log(
      `  from its author, direct             first byte median ${m((r) => r.peer.firstByteMs).toFixed(0)} ms, ${(m((r) => r.peer.bytesPerSecond) / MB).toFixed(1)} MB/s`,
    )
    console.log(
      `  from the relay's gateway (author gone) first byte median ${m((r) => r.gateway.firstByteMs).toFixed(0)} ms, ${(m((r) => r.gateway.bytesPerSecond) / MB).toFixed(1)} MB/s`,
    )
    console.log(
      `  from both together (author online)  first byte median ${m((r) => r.together.firstByteMs).toFixed(0)} ms, ${(m((r) => r.together.bytesPerSecond) / MB).toFixed(1)} MB/s`,
    )
    console.log(
      `  gateway / peer throughput ratio     median ${median(content.map((r) => r.gateway.bytesPerSecond / r.peer.bytesPerSecond)).toFixed(2)}`,
    )
    console.log(
      `  together / peer throughput ratio    median ${median(content.map((r) => r.together.bytesPerSecond / r.peer.bytesPerSecond)).toFixed(2)}`,
    )
  }
  if (rounds.length === 0) return
  const appMBps = FILE_BYTES / MB / (median(rounds.map((r) => r.appTransferMs)) / 1000)
  const rawMBps = FILE_BYTES / MB / (median(rounds.map((r) => r.rawTransferMs)) / 1000)
  const ratios = rounds.map((r) => r.rawTransferMs / r.appTransferMs)
  console.log('')
  console.log(`CAS/DISOT Peer benchmark: ${ROUNDS} rounds, 32 MiB file, two Chromium contexts, loopback relay`)
  console.log(`  page load → direct WebRTC link   median ${median(rounds.map((r) => r.loadToLinkMs)).toFixed(0)} ms`)
  console.log(`  app path A → B (blocks protocol, verify, IndexedDB)   median ${appMBps.toFixed(1)} MB/s`)
  console.log(`  raw RTCDataChannel A → B (same browsers, same run)    median ${rawMBps.toFixed(1)} MB/s`)
  console.log(`  app / raw throughput ratio       median ${median(ratios).toFixed(2)} (goal ≥ 0.80)`)
  if (app !== undefined && reference !== undefined) printSync(app, reference)
  if (network !== undefined) printNetwork(network)
  if (process.env.BENCH_FILES_ONLY !== '1' && !contentOnly) printRelayScale(await relayScale(RELAY_STEPS))
  if (process.env.BENCH_FILES_ONLY !== '1' && !contentOnly) printCredentials(await credentialFigures(CREDENTIAL_ROUNDS))
}

main().catch((err: unknown) => {
  console.error(err)
  process.exit(1)
})
