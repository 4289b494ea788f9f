import { x25519 as x25519v2 } from '@noble/curves/ed25519.js'

// did-jwt 8 brings its own @noble/curves 1.x. Its Ed25519 and X25519 resolve
// here, to the copy the rest of the app uses: a page builds one set of Ed25519
// tables (tens of milliseconds on a slow machine, paid by a new member's first
// check of an invitation) and ships one Edwards implementation. Both versions
// verify by ZIP-215 unless told otherwise, and sign alike (Ed25519 is deterministic).
export { ed25519 } from '@noble/curves/ed25519.js'

/** X25519, with 1.x's name for its key generator. */
export const x25519 = { ...x25519v2, utils: { ...x25519v2.utils, randomPrivateKey: x25519v2.utils.randomSecretKey } }
