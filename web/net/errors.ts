/** Errors of the browser's network layer. Callers check `err.name`. */

export class NoDirectLinkError extends Error {
  static override name = 'NoDirectLinkError'
  constructor(peer: string, why: string, options?: ErrorOptions) {
    super(`No direct WebRTC link to ${peer.slice(-8)}: ${why}`, options)
    this.name = 'NoDirectLinkError'
  }
}

export class NoPathToPeerError extends Error {
  static override name = 'NoPathToPeerError'
  constructor(peer: string, options?: ErrorOptions) {
    super(`Could not reach ${peer.slice(-8)} through any relay: it may be offline, or no longer reachable at that address`, options)
    this.name = 'NoPathToPeerError'
  }
}

export class InvalidPeerAddressError extends Error {
  static override name = 'InvalidPeerAddressError'
  constructor(address: string, options?: ErrorOptions) {
    super(`Not a dialable WebRTC peer address: ${address.slice(0, 120)}`, options)
    this.name = 'InvalidPeerAddressError'
  }
}

/** What stops the fetches under way when the person switches to working offline. */
export class WorkingOfflineError extends Error {
  static override name = 'WorkingOfflineError'
  constructor() {
    super('Stopped: working offline')
    this.name = 'WorkingOfflineError'
  }
}
