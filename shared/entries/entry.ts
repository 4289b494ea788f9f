import type { PinRef } from '../cas/library.ts'
import { rawCidFor, parseContentId } from '../cas/cid.ts'
import { parseDid, type Did, type Identity } from '../identity/did-key.ts'
import { decodeStrict, signJwt, verifyJwt } from '../identity/jws.ts'
import type { Privacy } from '../trust/privacy.ts'
import { EntryCidMismatchError, InvalidContentCidError, InvalidPrevError, MalformedEntryError, NotAnEntryError } from './errors.ts'

/** Domain separation: only tokens of this kind are entries (peer auth and credentials use others). */
export const ENTRY_KIND = 'cas-disot/entry'
export const ENTRY_FORMAT_VERSION = 1

export const ENTRY_TYPES = ['document', 'image', 'blog-post', 'signature', 'metadata'] as const
export type EntryType = (typeof ENTRY_TYPES)[number]
export const RELATIONSHIPS = ['attachment', 'citation', 'thumbnail', 'supersedes'] as const
export type Relationship = (typeof RELATIONSHIPS)[number]
export const AUTHOR_ROLES = ['creator', 'editor', 'contributor', 'reviewer'] as const
export type AuthorRole = (typeof AUTHOR_ROLES)[number]

export const ENTRY_LIMITS = { title: 200, description: 10_000, version: 64, changes: 2_000, list: 64, mime: 255 } as const

export interface Reference {
  cid: string
  rel: Relationship
  mime?: string
}

export interface Author {
  did: string
  role: AuthorRole
}

export interface EntryMeta {
  references?: Reference[]
  authors?: Author[]
  /** A version label such as "1.1". */
  version?: string
  /** What changed since `prev`. */
  changes?: string
}

/** What the author fills in; the signature adds issuer and time. */
export interface EntryDraft {
  type: EntryType
  content: string
  title: string
  description?: string
  meta?: EntryMeta
  /** CID of the entry this one is a new version of. */
  prev?: string
}

export interface Entry extends EntryDraft {
  issuer: Did
  /** Signing time, seconds since the epoch (the JWT `iat`). */
  signedAt: number
}

/** An entry with its proof: the compact JWS, and the CID of its bytes (the entry's ID). */
export interface SignedEntry {
  cid: string
  jws: string
  entry: Entry
  /** Local, not signed: who this browser gives the entry to. Absent means the default (private, trusted and above). */
  privacy?: Privacy
  /** Local, not signed: where it is pinned (public entries only). */
  pins?: PinRef[]
}

const PAYLOAD_KEYS = new Set(['kind', 'v', 'type', 'content', 'title', 'description', 'meta', 'prev', 'iss', 'iat'])

export async function createEntry(identity: Identity, draft: EntryDraft): Promise<SignedEntry> {
  const clean = validateDraft(draft)
  const jws = await signJwt(identity, { kind: ENTRY_KIND, v: ENTRY_FORMAT_VERSION, ...clean })
  return await verifyEntry(jws)
}

/** The entry's ID: the CID of the raw block holding its JWS as UTF-8. */
export async function entryCid(jws: string): Promise<string> {
  return (await rawCidFor(new TextEncoder().encode(jws))).toString()
}

/**
 * Verifies an entry completely: EdDSA only, a signature made by the key of
 * `iss`, the entry kind, a well-formed payload, parseable content and prev
 * CIDs, and (when given) that its bytes hash to the expected CID.
 */
export async function verifyEntry(jws: string, options: { expectedCid?: string } = {}): Promise<SignedEntry> {
  const text = jws.trim()
  // domain separation before anything else: an auth token or a credential is refused as such
  const claimed = decodeStrict(text).payload
  if (claimed.kind !== ENTRY_KIND) throw new NotAnEntryError(claimed.kind)
  const { issuer, payload } = await verifyJwt(text)
  if (payload.v !== ENTRY_FORMAT_VERSION) throw new MalformedEntryError(`unknown format version ${JSON.stringify(payload.v)}`)
  const extra = Object.keys(payload).filter((k) => !PAYLOAD_KEYS.has(k))
  if (extra.length > 0) throw new MalformedEntryError(`unexpected field(s) ${extra.join(', ')}`)
  if (typeof payload.iat !== 'number') throw new MalformedEntryError('no signing time')
  const draft = validateDraft(payload as unknown as EntryDraft)
  const cid = await entryCid(text)
  if (options.expectedCid !== undefined && parseContentId(options.expectedCid).toString() !== cid) {
    throw new EntryCidMismatchError(options.expectedCid, cid)
  }
  return { cid, jws: text, entry: { ...draft, issuer, signedAt: payload.iat } }
}

function validateDraft(draft: EntryDraft): EntryDraft {
  if (typeof draft !== 'object' || draft === null) throw new MalformedEntryError('not an object')
  const type = ENTRY_TYPES.find((t) => t === draft.type)
  if (type === undefined) throw new MalformedEntryError(`unknown type ${JSON.stringify(draft.type)}`)
  const content = cidText(draft.content, (v, cause) => new InvalidContentCidError(v, { cause }))
  const title = text(draft.title, 'title', ENTRY_LIMITS.title, true) as string
  const out: EntryDraft = { type, content, title }
  const description = text(draft.description, 'description', ENTRY_LIMITS.description)
  if (description !== undefined) out.description = description
  if (draft.prev !== undefined) out.prev = cidText(draft.prev, (v, cause) => new InvalidPrevError(v, { cause }))
  if (draft.meta !== undefined) out.meta = validateMeta(draft.meta)
  return out
}

function validateMeta(meta: EntryMeta): EntryMeta {
  if (typeof meta !== 'object' || meta === null || Array.isArray(meta)) throw new MalformedEntryError('meta is not an object')
  const extra = Object.keys(meta).filter((k) => !['references', 'authors', 'version', 'changes'].includes(k))
  if (extra.length > 0) throw new MalformedEntryError(`unexpected meta field(s) ${extra.join(', ')}`)
  const out: EntryMeta = {}
  if (meta.references !== undefined) {
    out.references = list(meta.references, 'references').map((r: Reference) => {
      const rel = RELATIONSHIPS.find((x) => x === r?.rel)
      if (rel === undefined) throw new MalformedEntryError(`unknown relationship ${JSON.stringify(r?.rel)}`)
      const ref: Reference = {
        cid: cidText(r.cid, (v, cause) => new MalformedEntryError(`reference CID ${JSON.stringify(v)} does not parse`, { cause })),
        rel,
      }
      const mime = text(r.mime, 'reference MIME type', ENTRY_LIMITS.mime)
      if (mime !== undefined) ref.mime = mime
      return ref
    })
  }
  if (meta.authors !== undefined) {
    out.authors = list(meta.authors, 'authors').map((a: Author) => {
      const role = AUTHOR_ROLES.find((x) => x === a?.role)
      if (role === undefined) throw new MalformedEntryError(`unknown author role ${JSON.stringify(a?.role)}`)
      try {
        return { did: parseDid(a.did), role }
      } catch (err) {
        throw new MalformedEntryError(`author ${JSON.stringify(a.did)} is not an Ed25519 did:key`, { cause: err })
      }
    })
  }
  const version = text(meta.version, 'version label', ENTRY_LIMITS.version)
  if (version !== undefined) out.version = version
  const changes = text(meta.changes, 'change description', ENTRY_LIMITS.changes)
  if (changes !== undefined) out.changes = changes
  return out
}

function text(value: unknown, field: string, max: number, required = false): string | undefined {
  if (value === undefined && !required) return undefined
  if (typeof value !== 'string') throw new MalformedEntryError(`${field} must be text`)
  if (required && value.trim() === '') throw new MalformedEntryError(`${field} must not be empty`)
  if (value.length > max) throw new MalformedEntryError(`${field} is longer than ${max} characters`)
  return value
}

function list<T>(value: T[] | undefined, field: string): T[] {
  if (!Array.isArray(value)) throw new MalformedEntryError(`${field} must be a list`)
  if (value.length > ENTRY_LIMITS.list) throw new MalformedEntryError(`more than ${ENTRY_LIMITS.list} ${field}`)
  return value
}

function cidText(value: unknown, fail: (value: unknown, cause: unknown) => Error): string {
  if (typeof value !== 'string') throw fail(value, undefined)
  try {
    return parseContentId(value).toString()
  } catch (err) {
    throw fail(value, err)
  }
}
