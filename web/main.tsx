import { createRoot } from 'react-dom/client'
import './ui/styles.css'
import { IdbBlockStore } from './store/block-stores.ts'
import { openAppDb } from './store/app-db.ts'
import { IdbLibraryIndex } from './store/idb-library-index.ts'
import { loadOrCreateNodeKey } from './store/node-key.ts'
import { IdbIdentityKeeper } from './store/identity-keeper.ts'
import { IdbEntryIndex } from './store/idb-entry-index.ts'
import { createBrowserNode } from './net/browser-node.ts'
import { findRelay } from './net/find-relay.ts'
import { iceServersFrom } from './net/ice-servers.ts'
import { Network } from './net/network.ts'
import { Library } from './app/library.ts'
import { browserStorageRoom } from './store/storage-room.ts'
import { PeerApp } from './app/peer-app.ts'
import { EntriesService } from './app/entries-service.ts'
import { IdentityService } from './app/identity-service.ts'
import { TrustService } from './app/trust-service.ts'
import { lazyCredentialAgent } from '../shared/trust/credentials.ts'
import { AccessPolicy } from './app/access-policy.ts'
import { IdbTrustList } from './store/trust-lists.ts'
import { IdbCredentialStore } from './store/credential-stores.ts'
import { IdbPeerBook } from './store/peer-book.ts'
import { IdbSpaceStore, YIndexeddbDocStore } from './store/space-stores.ts'
import { SpacesService } from './app/spaces/spaces-service.ts'
import {
  loadGateways,
  loadOffline,
  loadPinningServices,
  loadRelays,
  loadServedRelay,
  loadTurnOnly,
  saveGateways,
  saveOffline,
  savePinningServices,
  saveRelays,
  saveServedRelay,
  saveTurnOnly,
  loadWelcomed,
  saveWelcomed,
  loadView,
  saveView,
  loadUnfinishedFetches,
  saveUnfinishedFetches,
} from './store/settings.ts'
import { configuredRelays, parseRelayAddress, RelaySettings } from './app/relay-settings.ts'
import { PinningServices } from './app/pinning-services.ts'
import { AppRoot } from './ui/app-root.tsx'
import { preloadNoteEditor } from './ui/space-notes.tsx'
import { HttpPinningClient } from './net/pinning-client.ts'
import { Publishing } from './app/publishing.ts'
import { GatewaySettings } from './app/gateway-settings.ts'
import { ContentService } from './app/content-service.ts'
import { SourceRecords } from './fetch/source-records.ts'
import { createPinToken } from '../shared/auth/pin-token.ts'
import { BootFailure } from './ui/boot-failure.tsx'
import { logFailure, logOf } from '../shared/log.ts'
import { AppUpdates } from './app/app-updates.ts'
import { describeError } from './app/describe-error.ts'
import { registerAppShell } from './app-shell.ts'
import { warmFrameSigning } from '../shared/protocol/signed-frame.ts'

const log = logOf('app')

/** The only place that builds and wires the browser's components. */
async function boot(updates: AppUpdates): Promise<PeerApp> {
  // the relay that served the app is asked for while the stores open
  const finding = findRelay(location.origin)
  const [db, blockStore] = await Promise.all([openAppDb('cas-disot'), IdbBlockStore.open('cas-disot-blocks')])
  // the kept spaces' documents, and the editor when the app opens in a space, load while the rest is built
  const view = loadView(db)
  view.then(
    (v) => {
      if (v?.tab === 'spaces') void preloadNoteEditor()
    },
    logFailure(log, 'reading where the person last was'),
  )
  const spaceStore = new IdbSpaceStore(db)
  const docs = new YIndexeddbDocStore('cas-disot-space-')
  void spaceStore
    .list()
    .then(
      (records) => records.forEach((r) => void docs.open(r.id).catch(logFailure(log, `loading space ${r.id}`))),
      logFailure(log, 'listing the kept spaces'),
    )
  const libraryIndex = new IdbLibraryIndex(db)
  const library = new Library({ blockStore, index: libraryIndex, storage: browserStorageRoom })
  const identity = new IdentityService(new IdbIdentityKeeper(db))
  const trust = new TrustService({
    list: new IdbTrustList(db),
    credentials: new IdbCredentialStore(db),
    identity: () => identity.signer(),
    agent: lazyCredentialAgent(() => identity.signer()),
  })
  // each reads its own stores; the trust list asks for the identity only when used
  await Promise.all([identity.start(), trust.start()])
  const entryIndex = new IdbEntryIndex(db)
  const access = new AccessPolicy({
    index: libraryIndex,
    entries: entryIndex,
    blockStore,
    trust,
  })
  const offline = { value: await loadOffline(db) }
  const privateKey = await loadOrCreateNodeKey(db)
  // the relay that served the app, or as last found when that server is down now
  const { relay: served, error } = await finding
  if (served !== undefined) await saveServedRelay(db, served.toString())
  const servedRelay = served ?? parseRelayAddress((await loadServedRelay(db)) ?? '')
  const relaySettings = new RelaySettings({
    saved: await loadRelays(db),
    save: async (list) => await saveRelays(db, list),
    lookup: async (url) => await findRelay(url),
  })
  const relays = [
    ...(servedRelay === undefined ? [] : [{ address: servedRelay, origin: 'served' as const }]),
    ...configuredRelays(import.meta.env.VITE_RELAYS).map((address) => ({ address, origin: 'configured' as const })),
    ...relaySettings.list().map((address) => ({ address, origin: 'added' as const })),
  ]
  const turnOnly = { value: await loadTurnOnly(db) }
  const peerBook = new IdbPeerBook(db)
  const node = await createBrowserNode({
    privateKey,
    relays: relays.map((r) => r.address),
    iceServers: iceServersFrom(import.meta.env.VITE_ICE_SERVERS),
    turnOnly: () => turnOnly.value,
    blockStore,
    identity: () => identity.signer(),
    displayName: () => identity.view()?.displayName ?? '',
    authorize: async (did, cid) => await access.mayReceive(did, cid),
    trust: { present: async (binding) => await trust.present(binding), bundle: () => trust.bundle() },
    peerBook: await peerBook.load(),
    offline: () => offline.value,
  })
  // the book is a convenience: a failed write keeps the previous one
  node.services.peerAuth.on(
    'change',
    () => void peerBook.save(node.services.peerAuth.peers()).catch(logFailure(log, 'saving the peer book')),
  )
  // every peer that proves its DID is asked to present its credentials on that connection
  node.services.peerAuth.on('authenticated', (connection, did) => {
    void node.services.trust
      .fetch(connection, { signal: AbortSignal.timeout(10_000) })
      .then(async (answer) =>
        answer.kind === 'presentation' ? await trust.takePresentation(did, answer) : await trust.takeCredentials(did, answer),
      )
      // a peer that does not answer, or presents what does not verify, vouches for nobody; nothing of it is kept
      .catch(logFailure(log, `taking the credentials ${did} presented`))
  })
  const network = new Network(node, relays, error, offline)
  // the relay that served the app is its pinning service; others are the person's to add.
  // Tokens for the relay, and for other relays like it, are made by this browser's DID
  const didToken = (service: string) => async () => await createPinToken(identity.signer(), new URL(service).origin)
  const relayPinning = new HttpPinningClient({ service: location.origin, token: didToken(location.origin) })
  const pinningServices = new PinningServices({
    saved: await loadPinningServices(db),
    save: async (list) => await savePinningServices(db, list),
  })
  const entries = new EntriesService({ index: entryIndex, blockStore, library, signer: () => identity.signer() })
  const publishing = new Publishing({
    library,
    entries,
    blockStore,
    clients: () => [
      relayPinning,
      ...pinningServices.list().map(
        (s) =>
          new HttpPinningClient({
            service: s.url,
            token: s.token === undefined ? didToken(s.url) : async () => await Promise.resolve(s.token as string),
          }),
      ),
    ],
  })
  const gateways = new GatewaySettings({
    saved: await loadGateways(db),
    relay: location.origin,
    save: async (list) => await saveGateways(db, list),
  })
  const content = new ContentService({
    blockStore,
    library,
    blocks: node.services.blocks,
    records: new SourceRecords(),
    gateways: () => gateways.list(),
    relay: location.origin,
  })
  const spaces = new SpacesService({
    store: spaceStore,
    docs,
    identity: () => identity.signer(),
    displayName: () => identity.view()?.displayName ?? '',
    nameOf: (did) => node.services.peerAuth.peers().find((p) => p.did === did)?.name || undefined,
    trustLevelOf: (did) => trust.levelOf(did),
    origin: location.origin,
    network: {
      online: () => !offline.value,
      shareAddress: () => network.status().shareAddress,
      connectionsOf: (did) => network.connectionsOf(did),
      connect: async (address) => {
        const connection = await network.connect(address)
        await node.services.peerAuth.authenticated(connection, { signal: AbortSignal.timeout(10_000) })
        return connection
      },
      join: async (connection, spaceId, options) =>
        await node.services.sync.join(connection, spaceId, { ...options, signal: AbortSignal.timeout(10_000) }),
    },
    // a space's files are private to its members: asked of the member only, never of a gateway
    fetchFile: async (connections, cid, file, maxBytes) =>
      void (await content.get(
        { cid, name: file.name, type: file.type, size: file.size },
        {
          holders: connections.map((connection) => ({
            id: connection.remotePeer.toString(),
            label: node.services.peerAuth.peers().find((p) => p.peerIds.includes(connection.remotePeer.toString()))?.name || 'a member',
            connect: async (signal: AbortSignal) => await network.forTransfer(connection, file.size, { signal }),
          })),
          public: false,
          maxBytes,
          // going offline stops it: no fault of the member
          signal: network.untilOffline(),
        },
      )),
    hasFile: async (cid) => (await library.find(cid)) !== undefined,
    importEntry: async (jws) => ({ title: (await entries.importJws(jws)).entry.title }),
  })
  // the spaces register with what was built before them: the sync protocol serves
  // them, and the access policy lets their readers have the files they carry
  node.services.sync.host({
    admit: async (id, did, invitation) => await spaces.membership.admit(id, did, invitation),
    space: (id) => spaces.replica(id),
  })
  access.allowAlso((did, cid) => spaces.servesFileTo(did, cid))
  // a member that just proved its DID may share spaces with us: sync them now rather than on the next round
  node.services.peerAuth.on('authenticated', () => spaces.reconcile())
  // the use cases the UI calls, over everything above
  return new PeerApp(
    {
      identity,
      trust,
      access,
      library,
      network,
      saveOffline: async (v) => await saveOffline(db, v),
      publishing,
      content,
      gateways,
      pinningServices,
      entries,
      spaces,
      relays: relaySettings,
      turnOnly,
      saveTurnOnly: async (v) => await saveTurnOnly(db, v),
      updates,
      welcomed: await loadWelcomed(db),
      saveWelcomed: async () => await saveWelcomed(db),
      view: await view,
      saveView: async (view) => await saveView(db, view),
      unfinishedFetches: await loadUnfinishedFetches(db),
      saveUnfinishedFetches: async (links) => await saveUnfinishedFetches(db, links),
    },
    { origin: location.origin },
  )
}

// the app shell is kept first, whatever becomes of the boot
const updates = new AppUpdates()
registerAppShell(updates)
const root = createRoot(document.getElementById('root') as HTMLElement)
boot(updates).then(
  (app) => {
    root.render(<AppRoot app={app} />)
    app.start().catch((err: unknown) => app.reportError(describeError(err)))
    // edits are signed at once by the JavaScript Ed25519 once its tables are built: that
    // waits until the page is idle a while after start, so a new member's way into a
    // space (about 2 s here) does not pay for them; frames meanwhile are signed natively
    setTimeout(() => {
      // Safari has no idle callbacks: there it warms at once
      if (typeof requestIdleCallback === 'function') requestIdleCallback(warmFrameSigning, { timeout: 5_000 })
      else warmFrameSigning()
    }, 3_000)
  },
  (err: unknown) => root.render(<BootFailure error={err} />),
)
