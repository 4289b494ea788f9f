import { parseDid } from '../identity/did-key.ts'
import { isSpaceId } from '../spaces/space-id.ts'
import { fragmentParams, isWebRtcAddress } from './share-link.ts'

/**
 * A link to a space without an invitation: it works only for people the
 * space's privacy class admits at the owner's trust. Anyone else who opens it
 * is refused exactly as if the space did not exist.
 */
export interface SpaceLink {
  space: string
  name: string
  owner: string
  /** The owner's WebRTC multiaddr through its relay. */
  from: string
}

export class InvalidSpaceLinkError extends Error {
  static override name = 'InvalidSpaceLinkError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Invalid space link: ${detail}`, options)
    this.name = 'InvalidSpaceLinkError'
  }
}

const MAX_NAME_CHARS = 200

/** `<app origin>/#space=1&id=…&name=…&owner=…&from=…`, in the fragment so no server sees it. */
export function formatSpaceLink(origin: string, link: SpaceLink): string {
  const params = new URLSearchParams({ space: '1', id: link.space, name: link.name, owner: link.owner, from: link.from })
  return `${origin.replace(/\/$/, '')}/#${params.toString()}`
}

/** Parses a space link; undefined when the text is not one. */
export function parseSpaceLink(input: string): SpaceLink | undefined {
  const params = fragmentParams(input)
  if (params.get('space') === null) return undefined
  if (params.get('space') !== '1') throw new InvalidSpaceLinkError(`unknown version ${params.get('space') ?? ''}`)
  const space = params.get('id') ?? ''
  if (!isSpaceId(space)) throw new InvalidSpaceLinkError('the space ID is not 26 base32 characters')
  const owner = params.get('owner') ?? ''
  try {
    parseDid(owner)
  } catch (err) {
    throw new InvalidSpaceLinkError('the owner is not a did:key', { cause: err })
  }
  const from = params.get('from') ?? ''
  if (!isWebRtcAddress(from)) throw new InvalidSpaceLinkError('the owner address is not a WebRTC multiaddr')
  const name = (params.get('name') ?? '').trim().slice(0, MAX_NAME_CHARS)
  return { space, name: name === '' ? 'Untitled space' : name, owner, from }
}
