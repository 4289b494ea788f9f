import { multiaddr } from '@multiformats/multiaddr'
import { parseContentId } from '../../shared/cas/cid.ts'
import { formatShareLink, parseShareLink, type ShareLink } from '../../shared/protocol/share-link.ts'
import { connectionPath } from '../net/connection-path.ts'
import type { Network, NetworkStatus } from '../net/network.ts'
import type { RelaySettings } from './relay-settings.ts'
import { describeError } from './describe-error.ts'
import type { FileInput, FileView, Library } from './library.ts'
import type { Preview } from './preview.ts'
import { StateStore } from './state-store.ts'
import type { EntriesService, EntryView } from './entries-service.ts'
import type { IdentityService, IdentityView } from './identity-service.ts'
import type { TrustService, TrustView } from './trust-service.ts'
import type { AccessPolicy } from './access-policy.ts'
import type { Privacy } from '../../shared/trust/privacy.ts'

export type { Privacy }
export { DEFAULT_PRIVACY } from '../../shared/trust/privacy.ts'
import type { Import, Transfer } from './transfers.ts'
import { paced } from './paced.ts'
import type { FetchProgress } from '../fetch/fetch-dag.ts'
import type { SpacesService } from './spaces/spaces-service.ts'
import type { SpaceView } from './spaces/space-view.ts'
import type { Publishing } from './publishing.ts'
import type { ContentService } from './content-service.ts'
import type { GatewaySettings } from './gateway-settings.ts'
import type { PinningService, PinningServices } from './pinning-services.ts'
import type { SourceRecord } from '../fetch/source-records.ts'
import type { AppUpdates } from './app-updates.ts'
import { parseContentLink } from '../../shared/protocol/content-link.ts'
import { logFailure, logOf } from '../../shared/log.ts'

const log = logOf('app')

export interface AppState {
  network: NetworkStatus
  identity: IdentityView | undefined
  /** My trust list. */
  trust: TrustView[]
  /** Every stored entry, newest first, with its badge computed on load. */
  entries: EntryView[]
  files: FileView[]
  imports: Import[]
  transfers: Transfer[]
  spaces: SpaceView[]
  /** Whether the spaces kept here are open yet (until then the list above is not all of them). */
  spacesOpen: boolean
  /** The last thing that went wrong, in words. */
  error: string | undefined
  /** Whether the browser agreed to keep the library under storage pressure (undefined until it answers). */
  storageKept: boolean | undefined
  /** The gateways asked for public content, in order. */
  gateways: string[]
  /** Pinning services besides the relay (their tokens stay in this browser). */
  pinningServices: PinningService[]
  /** Every content source's record: deliveries, failures, bad bytes, speed. */
  sources: SourceRecord[]
  /** "Hide my address": direct links only through TURN servers. */
  turnOnly: boolean
  /** A new version of the app waiting for a reload; whether the app now opens offline. */
  update: { ready: boolean; offlineReady: boolean }
  /** The first-run welcome is shown until the person closes it. */
  welcome: boolean
}

export interface PeerAppComponents {
  identity: IdentityService
  trust: TrustService
  access: AccessPolicy
  library: Library
  network: Network
  saveOffline: (offline: boolean) => Promise<void>
  /** Pins public files on the relay. */
  publishing: Publishing
  /** Fetches content from wherever it can be had, verified. */
  content: ContentService
  /** Signed DISOT entries. */
  entries: EntriesService
  /** Spaces, built before the app: it only calls them. */
  spaces: SpacesService
  /** The gateways asked for public content, in order. */
  gateways: GatewaySettings
  /** Pinning services a published file goes to besides the relay. */
  pinningServices: PinningServices
  /** The relays the person added. */
  relays: RelaySettings
  /** The "hide my address" switch, read by WebRTC at each link; kept across reloads. */
  turnOnly: { value: boolean }
  saveTurnOnly: (turnOnly: boolean) => Promise<void>
  /** The app shell's versions, kept by the service worker. */
  updates: AppUpdates
  /** Whether the person closed the first-run welcome, and remembering that they did. */
  welcomed: boolean
  saveWelcomed: () => Promise<void>
  /** Where the person was when the app last ran, and remembering where they are. */
  view: AppView | undefined
  saveView: (view: AppView) => Promise<void>
  /** Fetches still under way when the page last closed (a reload, say), and remembering those under way now. */
  unfinishedFetches: LinkToFetch[]
  saveUnfinishedFetches: (links: LinkToFetch[]) => Promise<void>
}

/** What a fetch starts from: a share link, or a CID alone (no holder known). */
export type LinkToFetch = Omit<ShareLink, 'from'> & { from: string | undefined }

/** Where the person is in the app: a tab, and the space open in it. */
export interface AppView {
  tab: string
  space?: string
}

export interface PeerAppInit {
  /** The origin share links point at. */
  origin: string
}

export class NotShareableYetError extends Error {
  static override name = 'NotShareableYetError'
  constructor() {
    super('This browser has no relay address yet')
    this.name = 'NotShareableYetError'
  }
}

/** The use cases the UI calls. Nothing of libp2p, IndexedDB or the block layer leaks past here. */
export class PeerApp {
  readonly state: StateStore<AppState>
  /** This browser's DID: display name, backup, restore. */
  readonly identity: IdentityService
  /** Signed DISOT entries: create, version, verify, export. */
  readonly entries: EntriesService
  /** My trust list: trust, lower, block, forget. */
  readonly trust: TrustService
  /** Spaces: create, invite, join, notes, files, presence. */
  readonly spaces: SpacesService
  readonly #c: PeerAppComponents
  readonly #origin: string
  #nextId = 0
  #view: AppView | undefined
  /** Fetches under way, by CID: resumed when the page opens again before they end. */
  readonly #unfinished = new Map<string, LinkToFetch>()
  /**
   * Fetches the page last closed on, or going offline cut off, by CID: taken up once online, or
   * when the relay is back, in the transfer (`row`) that shows one waiting rather than a new one.
   */
  readonly #toResume = new Map<string, { link: LinkToFetch; row: string | undefined }>()

  constructor(components: PeerAppComponents, init: PeerAppInit) {
    this.#c = components
    this.#origin = init.origin
    this.#view = components.view
    for (const link of components.unfinishedFetches) this.#toResume.set(link.cid, { link, row: undefined })
    this.state = new StateStore<AppState>({
      network: components.network.status(),
      identity: undefined,
      trust: [],
      entries: [],
      files: [],
      imports: [],
      transfers: [],
      spaces: [],
      spacesOpen: false,
      error: undefined,
      storageKept: undefined,
      gateways: components.gateways.list(),
      pinningServices: components.pinningServices.list(),
      sources: [],
      turnOnly: components.turnOnly.value,
      update: components.updates.view(),
      welcome: !components.welcomed,
    })
    this.identity = components.identity
    this.trust = components.trust
    // the app lives as long as the page: these subscriptions are never undone
    this.trust.on('change', () => this.state.set((s) => ({ ...s, trust: this.trust.list() })))
    this.identity.on('change', () => this.state.set((s) => ({ ...s, identity: this.identity.view() })))
    this.entries = components.entries
    this.entries.on('change', () => void this.#refreshEntries())
    components.updates.on('change', () => this.state.set((s) => ({ ...s, update: components.updates.view() })))
    this.spaces = components.spaces
    this.spaces.on('change', () => this.state.set((s) => ({ ...s, spaces: this.spaces.list() })))
    // files fetched for anyone (a transfer, a space) show in the library at once
    components.content.on('stored', () => {
      void this.#refreshFiles()
      // the bytes it took show beside the peer now, not at the network's next heartbeat
      components.network.refreshMeasures()
    })
    components.content.records.on('change', () => this.state.set((s) => ({ ...s, sources: components.content.records.list() })))
    components.network.on('change', () => {
      const before = this.state.get().network
      const now = components.network.status()
      this.state.set((s) => ({ ...s, network: now }))
      // back on the relay, and again once it holds my reservation (so others can reach me):
      // find the members of my spaces now rather than after a dial backoff or the next round
      const relayBack = before.relay.state !== 'connected' && now.relay.state === 'connected'
      const reachable = !before.shareAddressLive && now.shareAddressLive
      if (!relayBack && !reachable) return
      this.spaces.networkBack()
      // and fetches cut off by going offline go on
      this.#resumeFetches()
    })
  }

  async start(): Promise<void> {
    this.state.set((s) => ({ ...s, identity: this.identity.view(), trust: this.trust.list() }))
    // what is kept here shows first: the spaces' notes, the library and the entries need no network
    await Promise.all([
      this.spaces.open().then(() => this.state.set((s) => ({ ...s, spacesOpen: true }))),
      this.#refreshFiles(),
      this.#refreshEntries(),
    ])
    void this.#c.library.keep().then(
      (kept) => this.state.set((s) => ({ ...s, storageKept: kept })),
      (err: unknown) => this.#fail(err),
    )
    // the network starts last: the library, entries and trust list are usable without it
    try {
      await this.#c.network.startNode()
    } catch (err) {
      this.#fail(err)
      return
    }
    this.spaces.start()
    this.#c.network.start()
    if (!this.#c.network.isOffline()) this.#resumeFetches()
    // closed on while offline: shown waiting rather than gone
    else
      for (const waiting of this.#toResume.values()) {
        const row = `transfer-${this.#nextId++}`
        waiting.row = row
        this.#setTransfers((list) => [...list, { ...newTransfer(row, waiting.link), state: 'waiting' }])
        // with the bytes already kept, which it goes on from
        this.#c.content
          .heldBytes(waiting.link.cid)
          .then(
            (held) =>
              this.#setTransfers((list) =>
                list.map((t) => (t.id === row && t.state === 'waiting' ? { ...t, bytes: Math.min(held, t.total) } : t)),
              ),
            logFailure(log, 'counting the bytes a waiting fetch holds'),
          )
      }
  }

  /** The fetches the page closed on, or going offline cut off, go on from the blocks they already kept; offline, they wait for the relay. */
  #resumeFetches(): void {
    // each fetch takes its entry as it starts, so none is both waiting and under way
    for (const { link } of [...this.#toResume.values()]) void this.fetchLink(link)
  }

  /** The in-app network switch; kept across reloads. */
  async setOffline(offline: boolean): Promise<void> {
    await this.#guard(async () => {
      // the switch flips at once; cutting connections and remembering it follow
      const cut = this.#c.network.setOffline(offline)
      await this.#c.saveOffline(offline)
      await cut
      if (!offline) this.spaces.networkBack()
    })
  }

  /**
   * Reloads into the new version of the app: the spaces save and close their
   * documents first, so nothing typed is lost.
   */
  async applyUpdate(): Promise<void> {
    await this.#guard(async () => await this.#c.updates.apply(async () => await this.spaces.stop()))
  }

  /** Where the person last was, to open the app there again. */
  lastView(): AppView | undefined {
    return this.#view
  }

  /** Remembers where the person is; a failed write costs only the next start its place, so it is logged. */
  rememberView(view: AppView): void {
    if (view.tab === this.#view?.tab && view.space === this.#view.space) return
    this.#view = view
    this.#c.saveView(view).catch(logFailure(log, 'remembering where the person is in the app'))
  }

  /** Closes the first-run welcome, for good. */
  async finishWelcome(): Promise<void> {
    await this.#guard(async () => {
      this.state.set((s) => ({ ...s, welcome: false }))
      await this.#c.saveWelcomed()
    })
  }

  /** Pins a public file on the relay, so it can be had while this browser is closed. */
  async publish(cid: string): Promise<void> {
    await this.#guard(async () => await this.#c.publishing.publish(cid, async () => await this.#refreshFiles()))
  }

  /** Pins a public entry on the relay, so anyone can verify it while this browser is closed. */
  async publishEntry(cid: string): Promise<void> {
    await this.#guard(async () => await this.#c.publishing.publishEntry(cid, async () => await this.#refreshEntries()))
  }

  async unpinEntry(cid: string): Promise<void> {
    await this.#guard(async () => await this.#c.publishing.unpinEntry(cid))
  }

  /** Changes who may fetch an entry; one no longer public comes off the pinning services first. */
  async setEntryPrivacy(cid: string, privacy: Privacy): Promise<void> {
    await this.#guard(async () => {
      if (privacy.class !== 'public') await this.#c.publishing.unpinEntry(cid)
      await this.entries.setPrivacy(cid, privacy)
      this.#c.access.invalidate()
    })
  }

  /** Takes a file off the relay. */
  async unpin(cid: string): Promise<void> {
    await this.#guard(async () => {
      await this.#c.publishing.unpin(cid)
      await this.#refreshFiles()
    })
  }

  reportError(message: string): void {
    this.state.set((s) => ({ ...s, error: message }))
  }

  dismissError(): void {
    this.state.set((s) => ({ ...s, error: undefined }))
  }

  async addFiles(files: FileInput[]): Promise<void> {
    for (const file of files) {
      const id = `import-${this.#nextId++}`
      this.#setImports((list) => [...list, { id, name: file.name, bytes: 0, total: file.size }])
      const progress = paced((bytes: number) => this.#setImports((list) => list.map((i) => (i.id === id ? { ...i, bytes } : i))))
      try {
        await this.#c.library.add(file, { onBytes: (bytes) => progress.report(bytes) })
      } catch (err) {
        this.#fail(err)
      } finally {
        progress.flush()
        this.#setImports((list) => list.filter((i) => i.id !== id))
      }
      await this.#refreshFiles()
    }
  }

  async deleteFile(cid: string): Promise<void> {
    await this.#guard(async () => {
      await this.#c.library.remove(cid)
      await this.#refreshFiles()
    })
  }

  /** Finds a file by its CID or, for single-block files, the SHA-256 hex of its bytes. */
  async findFile(id: string): Promise<FileView | undefined> {
    return await this.#c.library.find(id)
  }

  async fileBlob(cid: string): Promise<Blob> {
    return await this.#c.library.blob(cid)
  }

  async preview(cid: string): Promise<Preview> {
    return await this.#c.library.preview(cid)
  }

  /** Keeps a file found in a directory of the library as a file of its own. */
  async addFromDirectory(entry: { cid: string; name: string; size: number }): Promise<void> {
    await this.#guard(async () => {
      await this.#c.library.addFromDirectory(entry)
      await this.#refreshFiles()
    })
  }

  /** A link another person opens to fetch this file from this browser. */
  shareLink(cid: string): string {
    const file = this.state.get().files.find((f) => f.cid === parseContentId(cid).toString())
    const from = this.state.get().network.shareAddress
    if (from === undefined) throw new NotShareableYetError()
    if (file === undefined) throw new Error(`No file ${cid} in the library`)
    return formatShareLink(this.#origin, {
      cid: file.cid,
      name: file.name,
      type: file.type,
      size: file.size,
      from,
      public: file.privacy.class === 'public',
    })
  }

  /** Parses a share link; undefined when the text is not one. Throws InvalidShareLinkError when damaged. */
  parseShareLink(text: string): ShareLink | undefined {
    return parseShareLink(text)
  }

  /** Fetches a shared file from its holder over a direct link, verifying every block. */
  async fetchLink(link: LinkToFetch): Promise<void> {
    // a fetch cut off by going offline goes on in the row that shows it waiting
    const waitingRow = this.#toResume.get(link.cid)?.row
    this.#toResume.delete(link.cid)
    const id = waitingRow ?? `transfer-${this.#nextId++}`
    this.#remember(link, true)
    const from = link.from
    const update = (patch: Partial<Transfer>): void => this.#setTransfers((list) => list.map((t) => (t.id === id ? { ...t, ...patch } : t)))
    const fresh = newTransfer(id, link)
    this.#setTransfers((list) =>
      waitingRow === undefined ? [...list, fresh] : list.map((t) => (t.id === id ? { ...fresh, bytes: t.bytes, attempts: t.attempts } : t)),
    )
    const peerId = fresh.peerId
    const holder =
      from === undefined
        ? undefined
        : {
            id: peerId,
            label: "the sharer's browser",
            connect: async (signal: AbortSignal) => {
              const reached = await this.#c.network.connect(from, { signal })
              const connection = await this.#c.network.forTransfer(reached, link.size, { signal })
              update({ state: 'fetching', path: connectionPath(connection), linkedAt: Date.now() })
              return connection
            },
          }
    const progress = paced((p: FetchProgress) =>
      this.#setTransfers((list) =>
        list.map((t) =>
          t.id === id ? { ...t, bytes: p.bytes, total: p.total || link.size, firstByteAt: t.firstByteAt ?? Date.now() } : t,
        ),
      ),
    )
    try {
      const result = await this.#c.content.get(link, {
        // going offline stops it before its connections close: stopped, not failed by its sources
        signal: this.#c.network.untilOffline(),
        ...(holder === undefined ? {} : { holders: [holder] }),
        // public content may come from the relay's gateway too; private content only from its holder
        public: link.public === true,
        onProgress: (p) => progress.report(p),
        onAttempt: (attempt) =>
          this.#setTransfers((list) => list.map((t) => (t.id === id ? { ...t, attempts: [...t.attempts, attempt] } : t))),
      })
      progress.flush()
      update({
        state: 'done',
        finishedAt: Date.now(),
        source: result.source,
        shares: result.shares,
        ...(result.source.kind === 'relay' || result.source.kind === 'gateway' ? { path: 'gateway' as const } : {}),
      })
    } catch (err) {
      progress.flush()
      if (this.#c.network.isOffline()) {
        // cut off by the offline switch: it waits, and goes on when the network is back
        update({ state: 'waiting', path: undefined })
        this.#toResume.set(link.cid, { link, row: id })
      } else update({ state: 'failed', error: describeError(err), finishedAt: Date.now() })
    } finally {
      this.#remember(link, false)
      this.#c.network.refreshMeasures()
    }
  }

  /** Keeps the fetches under way across a reload: one that ended, done or failed (not cut off by going offline), is not resumed. */
  #remember(link: LinkToFetch, underWay: boolean): void {
    if (underWay) this.#unfinished.set(link.cid, link)
    else this.#unfinished.delete(link.cid)
    const waiting = [...this.#toResume.values()].map((w) => w.link)
    this.#c.saveUnfinishedFetches([...this.#unfinished.values(), ...waiting]).catch(logFailure(log, 'remembering the fetches under way'))
  }

  /** The gateways asked for public content, in order (each https, or http on this machine). */
  async setGateways(urls: string[]): Promise<void> {
    const gateways = await this.#c.gateways.set(urls)
    this.state.set((s) => ({ ...s, gateways }))
  }

  /** Pinning services a published file also goes to: lines of "URL [access token]". */
  async setPinningServices(lines: string[]): Promise<void> {
    const pinningServices = await this.#c.pinningServices.set(lines)
    this.state.set((s) => ({ ...s, pinningServices }))
  }

  /** Parses `ipfs://CID`, a gateway URL or a bare CID; undefined when the text is none of them. */
  parseContentLink(text: string): { cid: string; name: string | undefined } | undefined {
    return parseContentLink(text)
  }

  /**
   * Opens content named by its CID alone (an ipfs:// link, a gateway URL): no
   * holder is known, so it comes from the gateways in settings, verified.
   */
  async openContent(link: { cid: string; name: string | undefined }): Promise<void> {
    await this.fetchLink({ cid: link.cid, name: link.name ?? link.cid, type: '', size: 0, from: undefined, public: true })
  }

  /** Adds a relay by its web address or multiaddr (InvalidRelayError, in words, when it cannot be used); two are held when two answer. */
  async addRelay(input: string): Promise<void> {
    this.#c.network.addRelay(await this.#c.relays.add(input), 'added')
  }

  /** Forgets a relay the person added, and leaves it. */
  async removeRelay(address: string): Promise<void> {
    await this.#guard(async () => {
      await this.#c.relays.remove(address)
      await this.#c.network.removeRelay(address)
    })
  }

  /** "Hide my address": new direct links only through TURN servers (without one, peers are reached through the relay). */
  async setTurnOnly(turnOnly: boolean): Promise<void> {
    await this.#guard(async () => {
      this.#c.turnOnly.value = turnOnly
      this.state.set((s) => ({ ...s, turnOnly }))
      await this.#c.saveTurnOnly(turnOnly)
    })
  }

  /** Closes every connection to a peer; the next transfer dials afresh. */
  async disconnect(peerId: string): Promise<void> {
    await this.#guard(async () => await this.#c.network.hangUp(peerId))
  }

  async #refreshEntries(): Promise<void> {
    const entries = await this.entries.list()
    await this.#refreshFiles()
    this.state.set((s) => ({ ...s, entries }))
  }

  /** Changes who may receive a file; applies to the next block anyone asks for. */
  async setPrivacy(cid: string, privacy: Privacy): Promise<void> {
    await this.#guard(async () => {
      // no longer public: off the relay first, so it is not served a moment longer than allowed
      if (privacy.class !== 'public') await this.#c.publishing.unpin(cid)
      await this.#c.library.setPrivacy(cid, privacy)
      await this.#refreshFiles()
    })
  }

  async #refreshFiles(): Promise<void> {
    this.#c.access.invalidate()
    const files = await this.#c.library.list()
    this.state.set((s) => ({ ...s, files }))
  }

  #setImports(update: (list: Import[]) => Import[]): void {
    this.state.set((s) => ({ ...s, imports: update(s.imports) }))
  }

  #setTransfers(update: (list: Transfer[]) => Transfer[]): void {
    this.state.set((s) => ({ ...s, transfers: update(s.transfers) }))
  }

  async #guard(work: () => Promise<void>): Promise<void> {
    try {
      await work()
    } catch (err) {
      this.#fail(err)
    }
  }

  #fail(err: unknown): void {
    this.state.set((s) => ({ ...s, error: describeError(err) }))
  }
}

/** A transfer row for a link as it starts: connecting, nothing held yet. */
function newTransfer(id: string, link: LinkToFetch): Transfer {
  const peerId =
    link.from === undefined
      ? ''
      : (multiaddr(link.from)
          .getComponents()
          .findLast((c) => c.name === 'p2p')?.value ?? '')
  return {
    id,
    cid: link.cid,
    name: link.name,
    peerId,
    state: 'connecting',
    bytes: 0,
    total: link.size,
    path: undefined,
    source: undefined,
    shares: [],
    attempts: [],
    error: undefined,
    startedAt: Date.now(),
    linkedAt: undefined,
    firstByteAt: undefined,
    finishedAt: undefined,
  }
}
