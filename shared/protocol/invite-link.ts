import { decodeStrict } from '../identity/jws.ts'
import { fragmentParams, isWebRtcAddress } from './share-link.ts'

/** What an invitation link carries: the signed invitation and where the inviter listens. */
export interface InviteLink {
  invitation: string
  /** The inviter's WebRTC multiaddr through its relay. */
  from: string
}

export class InvalidInviteLinkError extends Error {
  static override name = 'InvalidInviteLinkError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Invalid invitation link: ${detail}`, options)
    this.name = 'InvalidInviteLinkError'
  }
}

/** `<app origin>/#invite=1&jws=…&from=…`, in the fragment so no server sees it. */
export function formatInviteLink(origin: string, link: InviteLink): string {
  const params = new URLSearchParams({ invite: '1', jws: link.invitation, from: link.from })
  return `${origin.replace(/\/$/, '')}/#${params.toString()}`
}

/** Parses the link's shape; the invitation's signature and time are checked separately. Undefined when it is not one. */
export function parseInviteLink(input: string): InviteLink | undefined {
  const params = fragmentParams(input)
  if (params.get('invite') === null) return undefined
  if (params.get('invite') !== '1') throw new InvalidInviteLinkError(`unknown version ${params.get('invite') ?? ''}`)
  const invitation = params.get('jws') ?? ''
  try {
    decodeStrict(invitation)
  } catch (err) {
    throw new InvalidInviteLinkError('the invitation is not a signed token', { cause: err })
  }
  const from = params.get('from') ?? ''
  if (!isWebRtcAddress(from)) throw new InvalidInviteLinkError('the inviter address is not a WebRTC multiaddr')
  return { invitation, from }
}
