import { NotBuiltInError } from './not-built-in.ts'

// Veramo's key manager imports did-jwt's JWE functions for keyManagerEncryptJWE
// and keyManagerDecryptJWE, which the app never calls. did-jwt is one module
// that the first screen loads (the app signs and checks its JWTs with it):
// taking these names from it would put JWE and its ciphers in that screen.
const missing = (name: string) => (): never => {
  throw new NotBuiltInError(`did-jwt ${name} (JWE encryption)`)
}
export const createAnonDecrypter = missing('createAnonDecrypter')
export const createAnonEncrypter = missing('createAnonEncrypter')
export const createJWE = missing('createJWE')
export const decryptJWE = missing('decryptJWE')
