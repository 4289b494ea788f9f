import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import * as dagPb from '@ipld/dag-pb'
import { sha256 } from 'multiformats/hashes/sha2'
import { create as createDigest, equals as digestEquals } from 'multiformats/hashes/digest'
import { toString as u8ToString, fromString as u8FromString } from 'uint8arrays'
import { CidMismatchError, InvalidCidError, UnsupportedCodecError, UnsupportedHashError } from './errors.ts'
import { BlockTooLargeError } from './errors.ts'
import { MAX_BLOCK_BYTES } from './limits.ts'

export { CID }

export const RAW_CODE = raw.code
export const DAG_PB_CODE = dagPb.code
export const SHA2_256_CODE = sha256.code

const SHA256_HEX = /^[0-9a-f]{64}$/i

/**
 * Parses user or wire input naming content: a CIDv1/v0 string, or the plain
 * SHA-256 hex that earlier CAS/DISOT tools used, which names the raw block
 * with that digest.
 */
export function parseContentId(input: string): CID {
  const text = input.trim()
  if (SHA256_HEX.test(text)) {
    const digest = createDigest(SHA2_256_CODE, u8FromString(text.toLowerCase(), 'base16'))
    return CID.createV1(RAW_CODE, digest)
  }
  let cid: CID
  try {
    cid = CID.parse(text)
  } catch (err) {
    throw new InvalidCidError(text, { cause: err })
  }
  assertSupported(cid)
  return cid.toV1()
}

/** Decodes a CID from its binary form, as carried on the wire. */
export function decodeCid(bytes: Uint8Array): CID {
  let cid: CID
  try {
    cid = CID.decode(bytes)
  } catch (err) {
    throw new InvalidCidError(u8ToString(bytes.subarray(0, 40), 'base16'), { cause: err })
  }
  assertSupported(cid)
  return cid
}

export function assertSupported(cid: CID): void {
  if (cid.multihash.code !== SHA2_256_CODE) throw new UnsupportedHashError(cid.multihash.code)
  if (cid.code !== RAW_CODE && cid.code !== DAG_PB_CODE) throw new UnsupportedCodecError(cid.code)
}

/** The SHA-256 hex of a raw block's bytes, or undefined for DAG roots. */
export function sha256HexOf(cid: CID): string | undefined {
  if (cid.code !== RAW_CODE || cid.multihash.code !== SHA2_256_CODE) return undefined
  return u8ToString(cid.multihash.digest, 'base16')
}

/** The CID of a single raw block holding `bytes`. */
export async function rawCidFor(bytes: Uint8Array): Promise<CID> {
  return CID.createV1(RAW_CODE, await sha256.digest(bytes))
}

/**
 * Checks that `bytes` hash to `cid`. Throws a typed error otherwise; nothing
 * that fails here may be stored or forwarded.
 */
export async function verifyBlock(cid: CID, bytes: Uint8Array): Promise<void> {
  assertSupported(cid)
  if (bytes.byteLength > MAX_BLOCK_BYTES) throw new BlockTooLargeError(bytes.byteLength, MAX_BLOCK_BYTES)
  const digest = await sha256.digest(bytes)
  if (!digestEquals(digest, cid.multihash)) throw new CidMismatchError(cid.toString())
}
