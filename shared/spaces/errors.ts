/** Why an invitation was not honoured; each has its own sentence for the person holding it. */
export type InvitationRefusal = 'malformed' | 'forged' | 'expired' | 'used' | 'wrong-space' | 'no-such-space' | 'wrong-address'

const MESSAGES: Record<InvitationRefusal, string> = {
  malformed: 'This invitation is damaged or is not an invitation.',
  forged: 'This invitation was not signed by the person it names: it is forged.',
  expired: 'This invitation has expired; ask for a new one.',
  used: 'This invitation has already been used by someone else; ask for a new one.',
  'wrong-space': 'This invitation is for another space.',
  'no-such-space': 'The inviter does not hold this space (any more), or does not admit you.',
  'wrong-address': 'The address in this link is not the space owner’s: the link was changed, or is not from them.',
}

export class InvitationRefusedError extends Error {
  static override name = 'InvitationRefusedError'
  readonly reason: InvitationRefusal
  constructor(reason: InvitationRefusal, options?: ErrorOptions) {
    super(MESSAGES[reason], options)
    this.name = 'InvitationRefusedError'
    this.reason = reason
  }
}

export function isInvitationRefusal(value: unknown): value is InvitationRefusal {
  return typeof value === 'string' && value in MESSAGES
}

export class InvalidGrantError extends Error {
  static override name = 'InvalidGrantError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Invalid membership grant: ${detail}`, options)
    this.name = 'InvalidGrantError'
  }
}

/** A space action this browser may not take, or cannot take yet; the message is for the person. */
export class SpaceActionError extends Error {
  static override name = 'SpaceActionError'
  constructor(message: string) {
    super(message)
    this.name = 'SpaceActionError'
  }
}
