/**
 * A pinning service's refusal, as the IPFS Pinning Service API carries it: an
 * HTTP status, a `reason` code for machines, and `details` for people. The
 * relay's service throws it; the app's client reads it back from a response.
 */
export class PinningRefusedError extends Error {
  static override name = 'PinningRefusedError'
  readonly status: number
  readonly reason: string
  constructor(status: number, reason: string, details: string) {
    super(details)
    this.name = 'PinningRefusedError'
    this.status = status
    this.reason = reason
  }
}
