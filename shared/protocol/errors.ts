/** Errors of our wire protocols. Callers check `err.name`. */

/** The reasons a peer may give in an `error` message, fixed and versioned with the protocol. */
export const ERROR_REASONS = ['malformed', 'too-large', 'unsupported', 'internal'] as const
export type ErrorReason = (typeof ERROR_REASONS)[number]

export class MalformedMessageError extends Error {
  static override name = 'MalformedMessageError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Malformed protocol message: ${detail}`, options)
    this.name = 'MalformedMessageError'
  }
}

/** The remote peer answered with an `error` message. */
export class RemoteError extends Error {
  static override name = 'RemoteError'
  readonly reason: ErrorReason
  constructor(reason: ErrorReason) {
    super(`The peer refused the request: ${reason}`)
    this.name = 'RemoteError'
    this.reason = reason
  }
}

/** A source answered with a block other than the one asked for. */
export class UnexpectedBlockError extends Error {
  static override name = 'UnexpectedBlockError'
  constructor(wanted: string, got: string) {
    super(`Asked for ${wanted}, the source sent ${got}`)
    this.name = 'UnexpectedBlockError'
  }
}

export class FrameTooLargeError extends Error {
  static override name = 'FrameTooLargeError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Frame over the size limit: ${detail}`, options)
    this.name = 'FrameTooLargeError'
  }
}

/** The stream ended, or went silent, while requests were still waiting. */
export class StreamEndedError extends Error {
  static override name = 'StreamEndedError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`The peer's stream ended: ${detail}`, options)
    this.name = 'StreamEndedError'
  }
}
