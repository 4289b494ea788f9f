import { CID } from 'multiformats/cid'
import { parseContentId } from '../cas/cid.ts'

/** Content named by its CID alone: where it came from is for the retrieval chain to find. */
export interface ContentLink {
  cid: string
  /** A name the link suggests (a gateway URL's `filename`), if any. */
  name: string | undefined
}

/**
 * Reads `ipfs://CID`, a gateway URL (`https://host/ipfs/CID…` or
 * `https://CID.ipfs.host/…`), or a bare CID; undefined for anything else.
 * Only the root CID is taken: paths inside a DAG are not followed.
 */
export function parseContentLink(input: string): ContentLink | undefined {
  const text = input.trim()
  let candidate: string | undefined
  let name: string | undefined
  if (/^ipfs:\/\//i.test(text)) candidate = text.slice('ipfs://'.length).split(/[/?#]/)[0]
  else if (/^https?:\/\//i.test(text)) {
    let url: URL
    try {
      url = new URL(text)
    } catch {
      return undefined
    }
    name = url.searchParams.get('filename') ?? undefined
    const path = /^\/ipfs\/([^/?#]+)/.exec(url.pathname)
    const subdomain = /^([a-z0-9]+)\.ipfs\./i.exec(url.hostname)
    candidate = path?.[1] ?? subdomain?.[1]
  } else candidate = text
  if (candidate === undefined || candidate === '') return undefined
  try {
    CID.parse(candidate)
  } catch {
    return undefined
  }
  return { cid: parseContentId(candidate).toString(), name }
}
