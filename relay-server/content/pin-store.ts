import { mkdir, readFile, rename, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { logFailure, logOf } from '../../shared/log.ts'

const log = logOf('relay:pins')

/** The IPFS Pinning Service API's pin states. */
export type PinState = 'queued' | 'pinning' | 'pinned' | 'failed'

export interface PinRecord {
  requestid: string
  /** The DID whose token made the pin: its account. */
  owner: string
  status: PinState
  /** RFC 3339, unique per record (the API pages by it). */
  created: string
  pin: { cid: string; name?: string; origins?: string[]; meta?: Record<string, string> }
  /** Bytes of the pinned DAG's blocks, once held. */
  bytes?: number
  info?: Record<string, string>
}

/** Pin records kept in one JSON file, written whole and renamed into place, one write at a time. */
export class PinStore {
  readonly #file: string
  readonly #records = new Map<string, PinRecord>()
  #writing: Promise<void> = Promise.resolve()
  #lastCreated = 0

  private constructor(file: string) {
    this.#file = file
  }

  static async open(dataDir: string): Promise<PinStore> {
    await mkdir(dataDir, { recursive: true })
    const store = new PinStore(join(dataDir, 'pins.json'))
    let text: string | undefined
    try {
      text = await readFile(store.#file, 'utf8')
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err
    }
    for (const record of text === undefined ? [] : (JSON.parse(text) as PinRecord[])) store.#records.set(record.requestid, record)
    return store
  }

  all(): PinRecord[] {
    return [...this.#records.values()]
  }

  get(requestid: string): PinRecord | undefined {
    return this.#records.get(requestid)
  }

  /** A creation time later than every one before, so `before`/`after` paging never skips or repeats. */
  nextCreated(): string {
    this.#lastCreated = Math.max(Date.now(), this.#lastCreated + 1)
    return new Date(this.#lastCreated).toISOString()
  }

  async put(record: PinRecord): Promise<void> {
    this.#records.set(record.requestid, record)
    await this.#save()
  }

  async delete(requestid: string): Promise<void> {
    this.#records.delete(requestid)
    await this.#save()
  }

  async #save(): Promise<void> {
    const snapshot = JSON.stringify(this.all())
    const write = this.#writing.then(async () => {
      await writeFile(`${this.#file}.tmp`, snapshot)
      await rename(`${this.#file}.tmp`, this.#file)
    })
    // the caller hears of a failed write; the next write still runs
    this.#writing = write.catch(logFailure(log, 'writing the pin list'))
    await write
  }
}
