import { CID } from 'multiformats/cid'
import { parseContentId, RAW_CODE } from '../cas/cid.ts'
import { NotAnEntryIdError } from './errors.ts'

/**
 * Reads an entry's ID: a raw-block CID (the JWS is stored as one raw block),
 * or the SHA-256 hex of the JWS. Anything else is a NotAnEntryIdError that
 * says what was expected and what was given.
 */
export function parseEntryId(input: string): CID {
  const text = input.trim()
  let cid: CID
  try {
    cid = /^[0-9a-fA-F]{64}$/.test(text) ? parseContentId(text) : CID.parse(text)
  } catch (err) {
    throw new NotAnEntryIdError(text, undefined, { cause: err })
  }
  if (cid.code !== RAW_CODE) throw new NotAnEntryIdError(text, cid.code)
  return parseContentId(cid.toString())
}
