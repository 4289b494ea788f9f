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
import { PeerApp } from './app/peer-app.ts'
import { IdentityService } from './app/identity-service.ts'
import { TrustService } from './app/trust-service.ts'
import { AccessPolicy } from './app/access-policy.ts'
import { IdbTrustList } from './store/trust-lists.ts'
import { IdbCredentialStore } from './store/credential-stores.ts'
import { IdbPeerBook } from './store/peer-book.ts'
import { AppRoot } from './ui/app-root.tsx'
import { BootFailure } from './ui/boot-failure.tsx'

/** The only place that builds and wires the browser's components. */
async function boot(): Promise<PeerApp> {
  const db = await openAppDb('cas-disot')
  const blockStore = await IdbBlockStore.open('cas-disot-blocks')
  const libraryIndex = new IdbLibraryIndex(db)
  const library = new Library({ blockStore, index: libraryIndex })
  const identity = new IdentityService(new IdbIdentityKeeper(db))
  await identity.start()
  const trust = new TrustService({ list: new IdbTrustList(db), credentials: new IdbCredentialStore(db), identity: () => identity.signer() })
  await trust.start()
  const entryIndex = new IdbEntryIndex(db)
  const access = new AccessPolicy({ index: libraryIndex, entries: entryIndex, blockStore, trust })
  const privateKey = await loadOrCreateNodeKey(db)
  const { relay, error } = await findRelay(location.origin)
  const peerBook = new IdbPeerBook(db)
  const node = await createBrowserNode({
    privateKey,
    relay,
    iceServers: iceServersFrom(import.meta.env.VITE_ICE_SERVERS),
    blockStore,
    identity: () => identity.signer(),
    displayName: () => identity.view()?.displayName ?? '',
    authorize: async (did, cid) => await access.mayReceive(did, cid),
    trustBundle: () => trust.bundle(),
    peerBook: await peerBook.load(),
  })
  // the book is a convenience: a failed write keeps the previous one
  node.services.peerAuth.addEventListener('change', () => void peerBook.save(node.services.peerAuth.peers()).catch(() => undefined))
  // every peer that proves its DID is asked for the credentials it issued
  node.services.peerAuth.onAuthenticated((connection, did) => {
    void node.services.trust
      .fetch(connection, { signal: AbortSignal.timeout(10_000) })
      .then(async (bundle) => await trust.receive(did, bundle))
      // a peer that does not answer simply vouches for nobody; nothing of it is kept
      .catch(() => undefined)
  })
  const network = new Network(node, relay, error)
  return new PeerApp(
    { identity, trust, access, entryIndex, library, blockStore, network, blocks: node.services.blocks },
    { origin: location.origin },
  )
}

const root = createRoot(document.getElementById('root') as HTMLElement)
boot().then(
  async (app) => {
    root.render(<AppRoot app={app} />)
    await app.start()
  },
  (err: unknown) => root.render(<BootFailure error={err} />),
)
