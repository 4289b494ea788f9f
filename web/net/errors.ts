/** Errors of the browser's network layer. Callers check `err.name`. */

export class NoDirectLinkError extends Error {
  static override name = 'NoDirectLinkError'
  constructor(peer: string, options?: ErrorOptions) {
    super(`Could not open a direct WebRTC link to ${peer.slice(-8)}`, options)
    this.name = 'NoDirectLinkError'
  }
}

export class InvalidPeerAddressError extends Error {
  static override name = 'InvalidPeerAddressError'
  constructor(address: string, options?: ErrorOptions) {
    super(`Not a dialable WebRTC peer address: ${address.slice(0, 120)}`, options)
    this.name = 'InvalidPeerAddressError'
  }
}
