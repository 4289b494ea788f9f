// CAS ingest in the browser as the app does it (chunk, hash, verify, store in
// IndexedDB, index), and beside it plain IndexedDB puts of the same bytes in
// the same 256 KiB chunks. Bundled by bench/ingest.ts and injected into a
// blank page of the relay's origin.
import { openDB } from 'idb'
import { Library } from '../web/app/library.ts'
import { openAppDb } from '../web/store/app-db.ts'
import { IdbBlockStore } from '../web/store/block-stores.ts'
import { IdbLibraryIndex } from '../web/store/idb-library-index.ts'
import { CHUNK_BYTES } from '../shared/cas/limits.ts'

function randomFile(bytes: number, name: string): File {
  const data = new Uint8Array(bytes)
  for (let i = 0; i < bytes; i += 65_536) crypto.getRandomValues(data.subarray(i, Math.min(bytes, i + 65_536)))
  return new File([data], name, { type: 'application/octet-stream' })
}

async function* sameChunks(stream: ReadableStream<Uint8Array>): AsyncGenerator<Uint8Array> {
  let pending = new Uint8Array(0)
  for await (const piece of stream as unknown as AsyncIterable<Uint8Array>) {
    const joined = new Uint8Array(pending.byteLength + piece.byteLength)
    joined.set(pending)
    joined.set(piece, pending.byteLength)
    let at = 0
    for (; joined.byteLength - at >= CHUNK_BYTES; at += CHUNK_BYTES) yield joined.slice(at, at + CHUNK_BYTES)
    pending = joined.slice(at)
  }
  if (pending.byteLength > 0) yield pending
}

async function usage(): Promise<number> {
  return (await navigator.storage.estimate()).usage ?? 0
}

/** The time to add the file, and the origin's storage it took (as the browser counts it). */
async function throughApp(file: File, round: number): Promise<{ ms: number; storedBytes: number }> {
  const db = await openAppDb(`bench-app-${round}`)
  const blockStore = await IdbBlockStore.open(`bench-blocks-${round}`)
  try {
    const library = new Library({ blockStore, index: new IdbLibraryIndex(db) })
    const before = await usage()
    const started = performance.now()
    await library.add(file)
    const ms = performance.now() - started
    return { ms, storedBytes: (await usage()) - before }
  } finally {
    db.close()
    await blockStore.close()
  }
}

async function plainPuts(file: File, round: number): Promise<number> {
  const db = await openDB(`bench-plain-${round}`, 1, { upgrade: (d) => d.createObjectStore('chunks') })
  try {
    const started = performance.now()
    let key = 0
    for await (const chunk of sameChunks(file.stream())) await db.put('chunks', chunk, key++)
    return performance.now() - started
  } finally {
    db.close()
  }
}

async function gone(name: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const request = indexedDB.deleteDatabase(name)
    request.onsuccess = () => resolve()
    request.onerror = () => reject(request.error ?? new Error(`could not delete ${name}`))
  })
}

/** One round: the same random bytes both ways, in the order given, each database deleted after. */
async function ingestRound(bytes: number, round: number): Promise<{ appMs: number; storedBytes: number; plainMs: number }> {
  const file = randomFile(bytes, `ingest-${round}.bin`)
  const result = { appMs: 0, storedBytes: 0, plainMs: 0 }
  const app = async () => {
    const { ms, storedBytes } = await throughApp(file, round)
    Object.assign(result, { appMs: ms, storedBytes })
  }
  const plain = async () => (result.plainMs = await plainPuts(file, round))
  for (const step of round % 2 === 0 ? [app, plain] : [plain, app]) await step()
  await Promise.all([`bench-app-${round}`, `bench-blocks-${round}`, `bench-plain-${round}`].map(gone))
  return result
}

Object.assign(window, { benchIngestRound: ingestRound })
