import { describe, expect, it } from 'vitest'
import { MemoryBlockstore } from 'blockstore-core/memory'
import type { CID } from 'multiformats/cid'
import { VerifiedBlockStore } from '../../shared/cas/blocks.ts'
import { importBytes, dagBlockIds } from '../../shared/cas/files.ts'
import { BlockNotFoundError } from '../../shared/cas/errors.ts'
import type { BlockSession } from '../net/block-exchange/index.ts'
import { retrieve, type ContentSource } from './retrieval.ts'
import { SourceRecords } from './source-records.ts'
import type { SourceKind } from './source-records.ts'

const FILE = new Uint8Array(900_000).map((_, i) => (i * 31) % 253)

/** A store holding one file (the 900 kB one, or `bytes`), and its root. */
async function held(bytes: Uint8Array = FILE) {
  const store = new VerifiedBlockStore(new MemoryBlockstore())
  const { cid } = await importBytes(store, [bytes])
  return { store, cid }
}

/** A file of `mib` MiB, above the size fetched from several sources together. */
const bigFile = (mib: number, step: number): Uint8Array => new Uint8Array(mib * 1024 * 1024).map((_, i) => (i * step) % 251)

type Behaviour = 'good' | 'late' | 'slow' | 'narrow' | 'unreachable' | 'lies-about-root' | 'lies-about-a-leaf' | 'has-nothing'

/** A source in memory that behaves as told; it counts what it was asked. */
function source(
  id: string,
  behaviour: Behaviour,
  content: VerifiedBlockStore,
  kind: SourceKind = 'peer',
): ContentSource & { asked: number } {
  const s = {
    id,
    label: id,
    kind,
    asked: 0,
    open: async (root: CID, signal: AbortSignal): Promise<BlockSession> => {
      s.asked += 1
      if (behaviour === 'unreachable') throw new Error(`${id} is unreachable`)
      // 'late': slow to open (Helia loading, say), then quick
      if (behaviour === 'late') await new Promise((resolve) => setTimeout(resolve, 50))
      // 'narrow': a thin link, one block after another
      let line: Promise<unknown> = Promise.resolve()
      return {
        get: async (cid: CID, options: { signal?: AbortSignal } = {}) => {
          if (behaviour === 'slow') await new Promise((resolve) => setTimeout(resolve, 30))
          if (behaviour === 'narrow') {
            const turn = line.then(async () => await new Promise((resolve) => setTimeout(resolve, 20)))
            line = turn
            await turn
          }
          ;(options.signal ?? signal).throwIfAborted()
          if (behaviour === 'has-nothing') throw new BlockNotFoundError(cid.toString())
          const bytes = Uint8Array.from(await content.get(cid))
          const lie = (behaviour === 'lies-about-root' && cid.equals(root)) || (behaviour === 'lies-about-a-leaf' && !cid.equals(root))
          if (lie) bytes[0] = (bytes[0] as number) ^ 0xff
          return bytes
        },
        close: async () => undefined,
      }
    },
  }
  return s
}

const describeErr = (err: unknown) => (err instanceof Error ? err.name : String(err))

function permutations<T>(items: T[]): T[][] {
  if (items.length <= 1) return [items]
  return items.flatMap((item, i) => permutations([...items.slice(0, i), ...items.slice(i + 1)]).map((rest) => [item, ...rest]))
}

async function contentOf(store: VerifiedBlockStore, cid: CID): Promise<Set<string>> {
  return await dagBlockIds(store, cid)
}

describe('the retrieval chain', () => {
  it('gets verified bytes whatever order good, slow, unreachable and lying sources come in, within a tier and across tiers', async () => {
    const { store: content, cid } = await held()
    const behaviours: Behaviour[] = ['lies-about-root', 'lies-about-a-leaf', 'unreachable', 'good']
    for (const order of permutations(behaviours)) {
      for (const split of [1, 2, 4]) {
        const sources = order.map((b, i) => source(`${b}-${i}`, b, content))
        const tiers = split === 4 ? [sources] : [sources.slice(0, split), sources.slice(split)]
        const mine = new VerifiedBlockStore(new MemoryBlockstore())
        const records = new SourceRecords()
        const result = await retrieve(cid, tiers, mine, records, { describe: describeErr })
        expect(result.source.id, order.join(',')).toMatch(/^(good|lies-about-a-leaf)/)
        expect(result.progress.bytes).toBe(FILE.byteLength)
        // every block the store holds is a block of the file, verified as it went in
        expect(await contentOf(mine, cid)).toEqual(await contentOf(content, cid))
        const leafLiar = records.list().find((r) => r.id.startsWith('lies-about-a-leaf'))
        if (leafLiar !== undefined && leafLiar.failures > 0) expect(leafLiar.badBytes).toBeGreaterThan(0)
        const rootLiar = records.list().find((r) => r.id.startsWith('lies-about-root'))
        if (rootLiar !== undefined) expect(rootLiar.badBytes).toBe(1)
      }
    }
  })

  it('takes the first verified answer in a tier and aborts the slower ones; later tiers are not asked', async () => {
    const { store: content, cid } = await held()
    const fast = source('fast', 'good', content)
    const slow = source('slow', 'slow', content)
    const gateway = source('gateway', 'good', content, 'gateway')
    const records = new SourceRecords()
    const result = await retrieve(cid, [[slow, fast], [gateway]], new VerifiedBlockStore(new MemoryBlockstore()), records, {
      describe: describeErr,
    })
    expect(result.source.id).toBe('fast')
    expect(gateway.asked).toBe(0)
    expect(records.get('fast')?.successes).toBe(1)
    expect(records.get('slow')).toBeUndefined()
  })

  it('resumes from the blocks already held, and answers from the local store alone when it has everything', async () => {
    const { store: content, cid } = await held()
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const records = new SourceRecords()
    await retrieve(cid, [[source('leaf-liar', 'lies-about-a-leaf', content)], [source('good', 'good', content)]], mine, records, {
      describe: describeErr,
    })
    const again = source('never-needed', 'good', content)
    const result = await retrieve(cid, [[again]], mine, records, { describe: describeErr })
    expect(result.source.kind).toBe('local')
    expect(again.asked).toBe(0)
  })

  it('fails with every reason when no source delivers, and keeps nothing unverified', async () => {
    const { store: content, cid } = await held()
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const failing = retrieve(
      cid,
      [[source('a', 'unreachable', content), source('b', 'lies-about-root', content)], [source('c', 'has-nothing', content, 'gateway')]],
      mine,
      new SourceRecords(),
      // reasons are sentences, as describeError words them
      { describe: (err) => `${describeErr(err)}.` },
    )
    await expect(failing).rejects.toMatchObject({ name: 'NoSourceError' })
    const err = (await failing.catch((e: unknown) => e)) as { attempts: Array<{ source: { id: string }; outcome: string }> }
    expect(err.attempts.map((a) => `${a.source.id}:${a.outcome}`).sort()).toEqual(['a:failed', 'b:bad-bytes', 'c:missing'])
    // one sentence: each source's reason, without the full stop it may end with
    expect((err as unknown as Error).message).toMatch(
      /^No source delivered it: [^.]+: [^.]+; [^.]+: [^.]+; [^.]+: it does not have this content\.$/,
    )
    expect(await mine.has(cid)).toBe(false)
  })

  it('fetches a large file from every source that holds it together, the faster taking more blocks, every byte verified', async () => {
    const big = bigFile(3, 7)
    const { store: content, cid } = await held(big)
    const peer = source('peer', 'slow', content)
    const relay = source('relay', 'good', content, 'relay')
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const records = new SourceRecords()
    const result = await retrieve(cid, [[peer], [relay]], mine, records, { describe: describeErr })
    expect(await contentOf(mine, cid)).toEqual(await contentOf(content, cid))
    const bytesOf = (id: string) => result.shares.find((s) => s.source.id === id)?.bytes ?? 0
    expect(bytesOf('peer')).toBeGreaterThan(0)
    expect(bytesOf('relay')).toBeGreaterThan(bytesOf('peer'))
    expect(result.source.id).toBe('relay')
    expect(records.get('peer')?.successes).toBe(1)
    expect(records.get('relay')?.successes).toBe(1)
  })

  it('drops a helper that sends a wrong block, records it, and asks another source for that block', async () => {
    const big = bigFile(2, 13)
    const { store: content, cid } = await held(big)
    const peer = source('peer', 'slow', content)
    const liar = source('liar', 'lies-about-a-leaf', content, 'gateway')
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const records = new SourceRecords()
    const result = await retrieve(cid, [[peer], [liar]], mine, records, { describe: describeErr })
    expect(await contentOf(mine, cid)).toEqual(await contentOf(content, cid))
    expect(result.shares.map((s) => s.source.id)).toEqual(['peer'])
    expect(records.get('liar')?.badBytes).toBe(1)
    expect(result.attempts.map((a) => `${a.source.id}:${a.outcome}`)).toEqual(['liar:bad-bytes', 'peer:delivered'])
  })

  it('lets a small file come from the first source alone', async () => {
    const { store: content, cid } = await held()
    const peer = source('peer', 'slow', content)
    const relay = source('relay', 'good', content, 'relay')
    const result = await retrieve(cid, [[peer], [relay]], new VerifiedBlockStore(new MemoryBlockstore()), new SourceRecords(), {
      describe: describeErr,
    })
    expect(result.shares.map((s) => s.source.id)).toEqual(['peer'])
    expect(relay.asked).toBe(0)
  })

  it('ends once every block is stored, while a source is still closing (a peer finishing what was asked of it)', async () => {
    const big = bigFile(2, 19)
    const { store: content, cid } = await held(big)
    const relay = source('relay', 'good', content, 'relay')
    const peer = source('peer', 'narrow', content)
    let closed = (): void => undefined
    const closing = new Promise<void>((resolve) => (closed = resolve))
    let closes = 0
    const lingering: ContentSource = {
      ...peer,
      open: async (root, signal, options) => {
        const session = await peer.open(root, signal, options)
        return { ...session, close: async () => ((closes += 1), await closing) }
      },
    }
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    // a fetch that waited for the close would never end: the close settles only after it
    const result = await retrieve(cid, [[lingering], [relay]], mine, new SourceRecords(), { describe: describeErr })
    expect(await contentOf(mine, cid)).toEqual(await contentOf(content, cid))
    expect(result.shares.length).toBe(2)
    expect(closes).toBe(1)
    closed()
  })

  it('counts no failure against a source whose connection fails once the fetch was stopped (the person went offline)', async () => {
    const { store: content, cid } = await held(bigFile(2, 23))
    const offline = new AbortController()
    const peer = source('peer', 'good', content)
    let served = 0
    const cutOff: ContentSource = {
      ...peer,
      open: async (root, signal, options) => {
        const session = await peer.open(root, signal, options)
        return {
          ...session,
          get: async (block, getOptions) => {
            // after a few blocks the person goes offline, and the connection closes under the fetch
            if (++served === 4) offline.abort()
            if (offline.signal.aborted) throw new Error('the connection closed')
            return await session.get(block, getOptions)
          },
        }
      },
    }
    const records = new SourceRecords()
    const outcomes: string[] = []
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const fetching = retrieve(cid, [[cutOff]], mine, records, {
      describe: describeErr,
      signal: offline.signal,
      onAttempt: (attempt) => outcomes.push(attempt.outcome),
    })
    await expect(fetching).rejects.toMatchObject({ name: 'AbortError' })
    expect(served).toBeGreaterThanOrEqual(4)
    expect(outcomes).not.toContain('failed')
    expect(records.get('peer')?.failures ?? 0).toBe(0)
  })

  it('lets a source that joins after the first was given every block take them over, the first good answer counting', async () => {
    const big = bigFile(2, 17)
    const { store: content, cid } = await held(big)
    const peer = source('peer', 'narrow', content)
    const relay = source('relay', 'late', content, 'relay')
    const mine = new VerifiedBlockStore(new MemoryBlockstore())
    const result = await retrieve(cid, [[peer], [relay]], mine, new SourceRecords(), { describe: describeErr })
    expect(await contentOf(mine, cid)).toEqual(await contentOf(content, cid))
    const bytesOf = (id: string) => result.shares.find((s) => s.source.id === id)?.bytes ?? 0
    // eight blocks, all asked of the thin link before the relay joined: the relay still delivers most
    expect(bytesOf('relay')).toBeGreaterThan(bytesOf('peer'))
    expect(bytesOf('relay') + bytesOf('peer')).toBeGreaterThanOrEqual(big.byteLength)
  })

  it('asks the healthiest gateways to help, and a gateway that lied before not at all', async () => {
    const { store: content, cid } = await held(bigFile(2, 11))
    const records = new SourceRecords()
    const gateways = ['steady', 'flaky', 'liar', 'new', 'slowpoke'].map((id) => source(id, 'good', content, 'gateway'))
    records.succeeded(gateways[0] as ContentSource, 1_000_000, 100, 30)
    for (let i = 0; i < 5; i++) records.failed(gateways[1] as ContentSource, 'timed out', false)
    records.failed(gateways[2] as ContentSource, 'bytes did not match', true)
    records.succeeded(gateways[4] as ContentSource, 1_000, 100, 1_900)
    await retrieve(cid, [[source('peer', 'narrow', content)], gateways], new VerifiedBlockStore(new MemoryBlockstore()), records, {
      describe: describeErr,
    })
    expect(Object.fromEntries(gateways.map((g) => [g.id, g.asked]))).toEqual({ steady: 1, new: 1, slowpoke: 1, flaky: 0, liar: 0 })
  })
})
