/** Versioned libp2p protocol IDs. A breaking change gets a new ID. */
export const BLOCKS_PROTOCOL = '/cas-disot/blocks/1.0.0'
