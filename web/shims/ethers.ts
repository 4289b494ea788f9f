import { NotBuiltInError } from './not-built-in.ts'

// Veramo's key manager, did:key provider and utilities import these for
// Ethereum addresses, transactions, secp256k1 keys and JWE; the app's agent
// signs EdDSA with one Ed25519 key and uses none of them.
const missing = (name: string) => (): never => {
  throw new NotBuiltInError(`ethers.${name} (Ethereum support)`)
}
export const computeAddress = missing('computeAddress')
export const getBytes = missing('getBytes')
export const hexlify = missing('hexlify')
export const toUtf8Bytes = missing('toUtf8Bytes')
export const toUtf8String = missing('toUtf8String')
export const Transaction = { from: missing('Transaction.from') }
export const SigningKey = { computePublicKey: missing('SigningKey.computePublicKey') }
