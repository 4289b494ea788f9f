const KiB = 1024
const MiB = 1024 * KiB

/** Chunk size of the UnixFS importer: the default of `ipfs add`. */
export const CHUNK_BYTES = 256 * KiB

/** Children per UnixFS node in the balanced layout: the default of `ipfs add`. */
export const MAX_CHILDREN_PER_NODE = 174

/** Largest block accepted from anywhere (the bitswap ecosystem's limit). */
export const MAX_BLOCK_BYTES = 2 * MiB
