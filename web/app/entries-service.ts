import type { BlockStore } from '../../shared/cas/blocks.ts'
import { parseContentId } from '../../shared/cas/cid.ts'
import type { EntryIndex } from '../../shared/entries/entry-index.ts'
import {
  createEntry,
  verifyEntry,
  type Author,
  type EntryDraft,
  type EntryType,
  type Reference,
  type SignedEntry,
} from '../../shared/entries/entry.ts'
import { MalformedEntryError } from '../../shared/entries/errors.ts'
import { parseEntryId } from '../../shared/entries/entry-id.ts'
import { versionHistory, type VersionHistory } from '../../shared/entries/history.ts'
import type { Identity } from '../../shared/identity/did-key.ts'
import { asError } from '../../shared/errors.ts'
import { describeError } from './describe-error.ts'
import { DEFAULT_PRIVACY, type Privacy } from '../../shared/trust/privacy.ts'
import type { PinRef } from '../../shared/cas/library.ts'

/** Entries are private (trusted and above) until their author says otherwise. */
export const DEFAULT_ENTRY_PRIVACY: Privacy = DEFAULT_PRIVACY
import type { Library } from './library.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'

export type { EntryType, Reference, Author, VersionHistory }
export { ENTRY_TYPES, RELATIONSHIPS, AUTHOR_ROLES } from '../../shared/entries/entry.ts'

/** What the entry form collects. Blog posts carry their text; the others name content from the library. */
export interface EntryForm {
  type: EntryType
  title: string
  description?: string
  /** CID (or SHA-256 hex) of the content, for every type but blog-post. */
  content?: string
  /** The text of a blog post, stored in CAS as Markdown. */
  text?: string
  references?: Reference[]
  authors?: Author[]
  version?: string
  changes?: string
  /** The entry this is a new version of. */
  prev?: string
}

export type Verification = { valid: true } | { valid: false; reason: string }

export interface EntryView extends SignedEntry {
  /** Computed when listed, never stored. */
  verification: Verification
}

export type VerifyReport = ({ valid: true } & SignedEntry) | { valid: false; reason: string; errorName: string }

export interface EntryFilter {
  type?: EntryType | ''
  author?: string
  text?: string
  /** Milliseconds since the epoch, inclusive. */
  from?: number
  to?: number
}

export class EntryNotFoundError extends Error {
  static override name = 'EntryNotFoundError'
  constructor(id: string) {
    super(`No entry ${id} here`)
    this.name = 'EntryNotFoundError'
  }
}

export interface EntriesComponents {
  index: EntryIndex
  blockStore: BlockStore
  library: Library
  signer: () => Identity
}

export interface EntriesEvents {
  /** Entries were added or changed. */
  change: []
}

/** Signed DISOT entries: make them, list them, follow their versions, verify any. */
export class EntriesService {
  readonly #c: EntriesComponents
  readonly #events = new Emitter<EntriesEvents>()

  constructor(components: EntriesComponents) {
    this.#c = components
  }

  on<K extends keyof EntriesEvents>(name: K, listener: (...args: EntriesEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  #changed(): void {
    this.#events.emit('change')
  }

  async create(form: EntryForm): Promise<EntryView> {
    const content = await this.#contentFor(form)
    const meta = {
      ...(form.references?.length ? { references: form.references } : {}),
      ...(form.authors?.length ? { authors: form.authors } : {}),
      ...(form.version ? { version: form.version } : {}),
      ...(form.changes ? { changes: form.changes } : {}),
    }
    const draft: EntryDraft = {
      type: form.type,
      content,
      title: form.title,
      ...(form.description ? { description: form.description } : {}),
      ...(Object.keys(meta).length > 0 ? { meta } : {}),
      ...(form.prev ? { prev: form.prev } : {}),
    }
    if (draft.prev !== undefined && (await this.#c.index.get(parseContentId(draft.prev).toString())) === undefined) {
      throw new EntryNotFoundError(draft.prev)
    }
    const signed = await createEntry(this.#c.signer(), draft)
    await this.#keep(signed)
    return { ...signed, verification: { valid: true } }
  }

  /** Verifies an entry from elsewhere and keeps it; nothing is stored when it fails. */
  async importJws(jws: string): Promise<EntryView> {
    const signed = await verifyEntry(jws)
    await this.#keep(signed)
    return { ...signed, verification: { valid: true } }
  }

  /** Every stored entry, each re-verified now for its badge. */
  async list(): Promise<EntryView[]> {
    return await Promise.all((await this.#c.index.list()).map(async (e) => ({ ...e, verification: await check(e) })))
  }

  async history(cid: string): Promise<VersionHistory> {
    return versionHistory(await this.#c.index.list(), parseContentId(cid).toString())
  }

  /** Changes who may fetch an entry from this browser. */
  async setPrivacy(cid: string, privacy: Privacy): Promise<void> {
    const entry = await this.#c.index.get(parseContentId(cid).toString())
    if (entry === undefined) throw new EntryNotFoundError(cid)
    await this.#c.index.put({ ...entry, privacy })
    this.#changed()
  }

  /** Records where an entry is pinned, as the pinning services last said. */
  async setPins(cid: string, pins: PinRef[]): Promise<void> {
    const entry = await this.#c.index.get(parseContentId(cid).toString())
    if (entry === undefined) throw new EntryNotFoundError(cid)
    await this.#c.index.put({ ...entry, pins })
    this.#changed()
  }

  /** An entry as it is stored, with its privacy (the default when it has none). */
  async stored(cid: string): Promise<SignedEntry & { privacy: Privacy }> {
    const entry = await this.#c.index.get(parseContentId(cid).toString())
    if (entry === undefined) throw new EntryNotFoundError(cid)
    return { ...entry, privacy: entry.privacy ?? DEFAULT_PRIVACY }
  }

  async exportJws(cid: string): Promise<string> {
    const entry = await this.#c.index.get(parseContentId(cid).toString())
    if (entry === undefined) throw new EntryNotFoundError(cid)
    return entry.jws
  }

  /** Says who signed what and when, or why it does not hold. Takes a compact JWS or an entry CID. */
  async verify(input: string): Promise<VerifyReport> {
    try {
      const text = input.trim()
      if (text.includes('.')) return { valid: true, ...(await verifyEntry(text)) }
      const cid = parseEntryId(text)
      const known = await this.#c.index.get(cid.toString())
      if (known !== undefined) return { valid: true, ...(await verifyEntry(known.jws, { expectedCid: cid.toString() })) }
      if (!(await this.#c.blockStore.has(cid))) throw new EntryNotFoundError(text)
      const jws = new TextDecoder().decode(await this.#c.blockStore.get(cid))
      return { valid: true, ...(await verifyEntry(jws, { expectedCid: cid.toString() })) }
    } catch (err) {
      const error = asError(err)
      return { valid: false, reason: describeError(error), errorName: error.name }
    }
  }

  async #contentFor(form: EntryForm): Promise<string> {
    if (form.type !== 'blog-post') {
      if (form.content === undefined || form.content.trim() === '') throw new MalformedEntryError('choose the content this entry is about')
      return parseContentId(form.content).toString()
    }
    const text = form.text ?? ''
    if (text.trim() === '') throw new MalformedEntryError('a blog post needs its text')
    const blob = new Blob([text], { type: 'text/markdown' })
    const file = await this.#c.library.add({
      name: `${form.title.trim() || 'post'}.md`,
      type: 'text/markdown',
      size: blob.size,
      stream: () => blob.stream(),
    })
    return file.cid
  }

  async #keep(signed: SignedEntry): Promise<void> {
    // the JWS bytes are a CAS block too: its CID is the entry's ID
    await this.#c.blockStore.put(parseContentId(signed.cid), new TextEncoder().encode(signed.jws))
    await this.#c.index.put(signed)
    this.#changed()
  }
}

async function check(e: SignedEntry): Promise<Verification> {
  try {
    await verifyEntry(e.jws, { expectedCid: e.cid })
    return { valid: true }
  } catch (err) {
    return { valid: false, reason: describeError(err) }
  }
}

/** Filters by type, author DID (or part of it), text in title or description, and signing date. */
export function filterEntries(entries: EntryView[], filter: EntryFilter): EntryView[] {
  const text = filter.text?.trim().toLowerCase() ?? ''
  const author = filter.author?.trim() ?? ''
  return entries.filter((e) => {
    const ms = e.entry.signedAt * 1000
    return (
      (!filter.type || e.entry.type === filter.type) &&
      (author === '' || e.entry.issuer.includes(author) || (e.entry.meta?.authors ?? []).some((a) => a.did.includes(author))) &&
      (text === '' || e.entry.title.toLowerCase().includes(text) || (e.entry.description ?? '').toLowerCase().includes(text)) &&
      (filter.from === undefined || ms >= filter.from) &&
      (filter.to === undefined || ms <= filter.to)
    )
  })
}
