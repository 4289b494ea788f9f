/** Versioned libp2p protocol IDs. A breaking change gets a new ID. */
export const BLOCKS_PROTOCOL = '/cas-disot/blocks/1.0.0'

/** Mutual DID authentication, run on every new direct connection before anything else of ours answers. */
export const AUTH_PROTOCOL = '/cas-disot/auth/1.0.0'

/** Trust credentials in a presentation bound to the connection, and the presenter's revocation list. */
export const TRUST_PROTOCOL = '/cas-disot/trust/2.0.0'

/** The issuer's credentials handed over unbound: only for peers not yet updated to TRUST_PROTOCOL. */
export const TRUST_PROTOCOL_V1 = '/cas-disot/trust/1.0.0'

/** Yjs space sync: signed y-protocols frames, one stream per connection and space. */
export const SYNC_PROTOCOL = '/cas-disot/sync/1.0.0'
