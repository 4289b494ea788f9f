import { CarBlockIterator } from '@ipld/car'
import { CID } from 'multiformats/cid'
import { randomUUID } from 'node:crypto'
import { verifyBlock } from '../../shared/cas/cid.ts'
import { readBlock } from '../../shared/cas/dag.ts'
import { MAX_BLOCK_BYTES } from '../../shared/cas/limits.ts'
import type { BlockStore } from '../../shared/cas/blocks.ts'
import { walkDag } from '../../shared/cas/dag-walk.ts'
import { PinningRefusedError } from '../../shared/protocol/pinning-errors.ts'
import type { PinRecord, PinState, PinStore } from './pin-store.ts'

export interface PinLimits {
  /** The largest DAG one pin may hold. */
  maxPinBytes: number
  /** Bytes one DID may have pinned, all pins together. */
  quotaBytes: number
  /** Pins one DID may have (failed ones aside). */
  quotaPins: number
}

export interface PinFilters {
  cid?: string[]
  name?: string
  match?: 'exact' | 'iexact' | 'partial' | 'ipartial'
  status?: PinState[]
  before?: string
  after?: string
  limit: number
  meta?: Record<string, string>
}

export type PinInput = PinRecord['pin']

/** Uploads in flight: at most this many at once on the relay, and one per DID (each is held in memory until verified). */
const MAX_UPLOADS = 2

/**
 * The pinning service behind the relay's `/pins`: pins per DID, with quotas.
 * The relay does not fetch content itself: a pin of a DAG the relay does not
 * hold waits (`queued`) until its owner sends the DAG as a CAR, which is
 * verified block by block and kept only when whole and within the limits.
 */
export class PinningService {
  readonly #store: PinStore
  readonly #blocks: BlockStore
  readonly #limits: PinLimits
  readonly #uploading = new Set<string>()

  constructor(init: { store: PinStore; blocks: BlockStore; limits: PinLimits }) {
    this.#store = init.store
    this.#blocks = init.blocks
    this.#limits = init.limits
  }

  list(owner: string, filters: PinFilters): { count: number; results: PinRecord[] } {
    const matching = this.#store
      .all()
      .filter((r) => r.owner === owner && matches(r, filters))
      .sort((a, b) => b.created.localeCompare(a.created))
    return { count: matching.length, results: matching.slice(0, filters.limit) }
  }

  get(owner: string, requestid: string): PinRecord {
    const record = this.#store.get(requestid)
    if (record === undefined || record.owner !== owner) throw new PinningRefusedError(404, 'NOT_FOUND', `No pin request ${requestid}.`)
    return record
  }

  async add(owner: string, pin: PinInput): Promise<PinRecord> {
    const cid = checkPin(pin)
    const live = this.#store.all().filter((r) => r.owner === owner && r.status !== 'failed')
    if (live.length >= this.#limits.quotaPins)
      throw new PinningRefusedError(409, 'INSUFFICIENT_FUNDS', `This DID has ${live.length} pins, the most this relay keeps for one DID.`)
    return await this.#settle(this.#newRecord(owner, pin, cid), live)
  }

  async replace(owner: string, requestid: string, pin: PinInput): Promise<PinRecord> {
    const before = this.get(owner, requestid)
    const cid = checkPin(pin)
    const others = this.#store.all().filter((r) => r.owner === owner && r.status !== 'failed' && r.requestid !== requestid)
    const settled = await this.#settle(this.#newRecord(owner, pin, cid), others)
    await this.#store.delete(before.requestid)
    await this.#collect(before.pin.cid)
    return settled
  }

  async remove(owner: string, requestid: string): Promise<void> {
    const record = this.get(owner, requestid)
    await this.#store.delete(record.requestid)
    await this.#collect(record.pin.cid)
  }

  /** The DAG of a queued pin, as a CAR v1 whose one root is the pin's CID. */
  async receiveCar(owner: string, requestid: string, car: AsyncIterable<Uint8Array>): Promise<PinRecord> {
    const record = this.get(owner, requestid)
    if (record.status === 'pinned') return record
    if (this.#uploading.has(owner) || this.#uploading.size >= MAX_UPLOADS)
      throw new PinningRefusedError(429, 'TOO_MANY_UPLOADS', 'Another upload is in progress; try again in a moment.')
    this.#uploading.add(owner)
    try {
      const root = CID.parse(record.pin.cid)
      const blocks = await readCar(car, root, this.#limits.maxPinBytes)
      const dag = await this.#dagOf(root, blocks)
      if (dag === undefined)
        throw new PinningRefusedError(400, 'INCOMPLETE_DAG', 'The CAR does not hold every block of the DAG; nothing was kept.')
      const others = this.#store.all().filter((r) => r.owner === owner && r.status !== 'failed' && r.requestid !== requestid)
      this.#checkQuota(others, dag.bytes)
      await this.#keep(dag.cids, blocks)
      const pinned: PinRecord = { ...record, status: 'pinned', bytes: dag.bytes, info: {} }
      await this.#store.put(pinned)
      return pinned
    } finally {
      this.#uploading.delete(owner)
    }
  }

  #newRecord(owner: string, pin: PinInput, cid: CID): PinRecord {
    return { requestid: randomUUID(), owner, status: 'queued', created: this.#store.nextCreated(), pin: { ...pin, cid: cid.toString() } }
  }

  /** Pinned at once when the relay already holds the whole DAG; otherwise queued for its CAR. */
  async #settle(record: PinRecord, others: PinRecord[]): Promise<PinRecord> {
    const dag = await this.#dagOf(CID.parse(record.pin.cid), new Map())
    let settled: PinRecord
    if (dag === undefined) {
      settled = {
        ...record,
        status: 'queued',
        info: { status_details: `waiting for the DAG: PUT it as a CAR to /pins/${record.requestid}/car` },
      }
    } else {
      this.#checkQuota(others, dag.bytes)
      settled = { ...record, status: 'pinned', bytes: dag.bytes, info: {} }
    }
    await this.#store.put(settled)
    return settled
  }

  #checkQuota(others: PinRecord[], bytes: number): void {
    if (bytes > this.#limits.maxPinBytes)
      throw new PinningRefusedError(
        413,
        'TOO_LARGE',
        `The DAG is ${bytes} bytes; this relay pins at most ${this.#limits.maxPinBytes} bytes in one pin.`,
      )
    const used = others.reduce((sum, r) => sum + (r.bytes ?? 0), 0)
    if (used + bytes > this.#limits.quotaBytes)
      throw new PinningRefusedError(
        409,
        'INSUFFICIENT_FUNDS',
        `This DID has ${used} bytes pinned; ${bytes} more would pass its ${this.#limits.quotaBytes}-byte quota.`,
      )
  }

  /** A whole DAG's blocks and bytes, found in `staged` or already on the relay; undefined when a block is missing. */
  async #dagOf(root: CID, staged: Map<string, Uint8Array>): Promise<{ cids: CID[]; bytes: number } | undefined> {
    const stack = [root]
    const seen = new Set<string>()
    const cids: CID[] = []
    let bytes = 0
    for (let cid = stack.pop(); cid !== undefined; cid = stack.pop()) {
      if (seen.has(cid.toString())) continue
      seen.add(cid.toString())
      const block = staged.get(cid.toString()) ?? ((await this.#blocks.has(cid)) ? await this.#blocks.get(cid) : undefined)
      if (block === undefined) return undefined
      bytes += block.byteLength
      cids.push(cid)
      stack.push(...readBlock(cid, block).links)
    }
    return { cids, bytes }
  }

  /** Writes the DAG's staged blocks (extra blocks in the CAR are dropped); if a write fails, the ones this call wrote go again. */
  async #keep(dag: CID[], staged: Map<string, Uint8Array>): Promise<void> {
    const written: CID[] = []
    try {
      for (const cid of dag) {
        const bytes = staged.get(cid.toString())
        if (bytes === undefined || (await this.#blocks.has(cid))) continue
        await this.#blocks.put(cid, bytes)
        written.push(cid)
      }
    } catch (err) {
      for (const cid of written) await this.#blocks.delete(cid)
      throw err
    }
  }

  /** Deletes the blocks of an unpinned DAG that no remaining pin still holds. */
  async #collect(cid: string): Promise<void> {
    const live = new Set<string>()
    for (const r of this.#store.all()) {
      if (r.status !== 'pinned') continue
      for await (const block of walkDag(this.#blocks, CID.parse(r.pin.cid))) live.add(block.cid.toString())
    }
    const gone: CID[] = []
    try {
      for await (const block of walkDag(this.#blocks, CID.parse(cid))) if (!live.has(block.cid.toString())) gone.push(block.cid)
    } catch (err) {
      // a DAG that was never whole here (a queued pin) has nothing more to take back
      if (!(err instanceof Error && err.name === 'BlockNotFoundError')) throw err
    }
    for (const block of gone) await this.#blocks.delete(block)
  }
}

/** Reads a CAR whose one root is `root`, verifying every block, refusing past `maxBytes`. Keeps only what the DAG may need. */
async function readCar(car: AsyncIterable<Uint8Array>, root: CID, maxBytes: number): Promise<Map<string, Uint8Array>> {
  let reader: CarBlockIterator
  try {
    reader = await CarBlockIterator.fromIterable(car)
  } catch (err) {
    throw new PinningRefusedError(400, 'BAD_CAR', `Not a CAR v1 stream: ${err instanceof Error ? err.message : String(err)}.`)
  }
  const roots = await reader.getRoots()
  if (roots.length !== 1 || !roots[0]?.equals(root))
    throw new PinningRefusedError(400, 'BAD_CAR', `The CAR's one root must be ${root.toString()}.`)
  const blocks = new Map<string, Uint8Array>()
  let total = 0
  try {
    for await (const { cid, bytes } of reader) {
      total += bytes.byteLength
      if (total > maxBytes)
        throw new PinningRefusedError(
          413,
          'TOO_LARGE',
          `The CAR holds more than ${maxBytes} bytes, the most this relay pins at once; nothing was kept.`,
        )
      if (bytes.byteLength > MAX_BLOCK_BYTES)
        throw new PinningRefusedError(400, 'BAD_BLOCK', `Block ${cid.toString()} is larger than ${MAX_BLOCK_BYTES} bytes.`)
      try {
        await verifyBlock(cid, bytes)
      } catch {
        throw new PinningRefusedError(400, 'BAD_BLOCK', `Block ${cid.toString()} does not match its CID; nothing was kept.`)
      }
      blocks.set(cid.toString(), bytes)
    }
  } catch (err) {
    if (err instanceof PinningRefusedError) throw err
    throw new PinningRefusedError(400, 'BAD_CAR', `The CAR stream is damaged: ${err instanceof Error ? err.message : String(err)}.`)
  }
  return blocks
}

function checkPin(pin: PinInput): CID {
  let cid: CID
  try {
    cid = CID.parse(String(pin.cid))
  } catch {
    throw new PinningRefusedError(400, 'BAD_REQUEST', `Not a CID: "${String(pin.cid).slice(0, 100)}".`)
  }
  if (pin.name !== undefined && (typeof pin.name !== 'string' || pin.name.length > 255))
    throw new PinningRefusedError(400, 'BAD_REQUEST', 'A pin name is a string of at most 255 characters.')
  return cid.toV1()
}

function matches(r: PinRecord, f: PinFilters): boolean {
  // with no filter the API lists only pinned ones
  const statuses = f.status ?? ['pinned']
  if (!statuses.includes(r.status)) return false
  if (f.cid !== undefined && !f.cid.some((c) => sameCid(c, r.pin.cid))) return false
  if (f.before !== undefined && !(r.created < f.before)) return false
  if (f.after !== undefined && !(r.created > f.after)) return false
  if (f.meta !== undefined && !Object.entries(f.meta).every(([k, v]) => r.pin.meta?.[k] === v)) return false
  if (f.name !== undefined) {
    const name = r.pin.name ?? ''
    const match = f.match ?? 'exact'
    if (match === 'exact' && name !== f.name) return false
    if (match === 'iexact' && name.toLowerCase() !== f.name.toLowerCase()) return false
    if (match === 'partial' && !name.includes(f.name)) return false
    if (match === 'ipartial' && !name.toLowerCase().includes(f.name.toLowerCase())) return false
  }
  return true
}

function sameCid(a: string, b: string): boolean {
  try {
    return CID.parse(a).toV1().equals(CID.parse(b).toV1())
  } catch {
    return false
  }
}
