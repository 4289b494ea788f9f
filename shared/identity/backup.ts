import { base64 } from 'multiformats/bases/base64'
import { identityFromSeed, type Identity } from './did-key.ts'

/** An encrypted identity backup: PBKDF2-SHA-256 → AES-256-GCM over the Ed25519 seed. */
export interface BackupFile {
  format: 'cas-disot-identity-backup'
  v: 1
  did: string
  kdf: { name: 'PBKDF2'; hash: 'SHA-256'; iterations: number; salt: string }
  cipher: { name: 'AES-GCM'; iv: string; ciphertext: string }
}

export const BACKUP_ITERATIONS = 600_000
const MAX_ITERATIONS = 10_000_000
export const MIN_PASSPHRASE_CHARS = 8

export class WrongPassphraseError extends Error {
  static override name = 'WrongPassphraseError'
  constructor() {
    super('The passphrase does not open this backup')
    this.name = 'WrongPassphraseError'
  }
}

export class MalformedBackupError extends Error {
  static override name = 'MalformedBackupError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`This is not a usable identity backup: ${detail}`, options)
    this.name = 'MalformedBackupError'
  }
}

export class WeakPassphraseError extends Error {
  static override name = 'WeakPassphraseError'
  constructor() {
    super(`A backup passphrase needs at least ${MIN_PASSPHRASE_CHARS} characters`)
    this.name = 'WeakPassphraseError'
  }
}

export async function encryptBackup(identity: Identity, passphrase: string, iterations = BACKUP_ITERATIONS): Promise<string> {
  if (passphrase.length < MIN_PASSPHRASE_CHARS) throw new WeakPassphraseError()
  const salt = crypto.getRandomValues(new Uint8Array(16))
  const iv = crypto.getRandomValues(new Uint8Array(12))
  const key = await deriveKey(passphrase, salt, iterations)
  const ciphertext = new Uint8Array(
    await crypto.subtle.encrypt({ name: 'AES-GCM', iv, additionalData: ad(identity.did) }, key, identity.seed as Uint8Array<ArrayBuffer>),
  )
  const file: BackupFile = {
    format: 'cas-disot-identity-backup',
    v: 1,
    did: identity.did,
    kdf: { name: 'PBKDF2', hash: 'SHA-256', iterations, salt: base64.baseEncode(salt) },
    cipher: { name: 'AES-GCM', iv: base64.baseEncode(iv), ciphertext: base64.baseEncode(ciphertext) },
  }
  return JSON.stringify(file, null, 2)
}

/** Opens a backup; the DID it restores must be the one the file names (it is bound into the ciphertext). */
export async function decryptBackup(text: string, passphrase: string): Promise<Identity> {
  const file = parseBackup(text)
  const key = await deriveKey(passphrase, bytes(file.kdf.salt, 'salt'), file.kdf.iterations)
  let seed: Uint8Array
  try {
    seed = new Uint8Array(
      await crypto.subtle.decrypt(
        { name: 'AES-GCM', iv: bytes(file.cipher.iv, 'iv'), additionalData: ad(file.did) },
        key,
        bytes(file.cipher.ciphertext, 'ciphertext'),
      ),
    )
  } catch {
    // AES-GCM cannot tell a wrong passphrase from altered bytes: both fail authentication
    throw new WrongPassphraseError()
  }
  if (seed.byteLength !== 32) throw new MalformedBackupError('the key inside has the wrong length')
  const identity = identityFromSeed(seed)
  if (identity.did !== file.did) throw new MalformedBackupError('the key inside does not match the DID the file names')
  return identity
}

function parseBackup(text: string): BackupFile {
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err) {
    throw new MalformedBackupError('not JSON', { cause: err })
  }
  const f = value as Partial<BackupFile>
  if (f?.format !== 'cas-disot-identity-backup' || f.v !== 1) throw new MalformedBackupError('unknown format')
  if (typeof f.did !== 'string' || f.kdf?.name !== 'PBKDF2' || f.kdf.hash !== 'SHA-256' || f.cipher?.name !== 'AES-GCM') {
    throw new MalformedBackupError('missing or unknown fields')
  }
  const n = f.kdf.iterations
  if (!Number.isSafeInteger(n) || n < BACKUP_ITERATIONS || n > MAX_ITERATIONS)
    throw new MalformedBackupError('iteration count out of range')
  if (typeof f.kdf.salt !== 'string' || typeof f.cipher.iv !== 'string' || typeof f.cipher.ciphertext !== 'string')
    throw new MalformedBackupError('missing fields')
  return f as BackupFile
}

async function deriveKey(passphrase: string, salt: Uint8Array<ArrayBuffer>, iterations: number): Promise<CryptoKey> {
  const material = await crypto.subtle.importKey('raw', new TextEncoder().encode(passphrase.normalize('NFC')), 'PBKDF2', false, [
    'deriveKey',
  ])
  return await crypto.subtle.deriveKey(
    { name: 'PBKDF2', hash: 'SHA-256', salt, iterations },
    material,
    { name: 'AES-GCM', length: 256 },
    false,
    ['encrypt', 'decrypt'],
  )
}

function ad(did: string): Uint8Array<ArrayBuffer> {
  return new TextEncoder().encode(`cas-disot-identity-backup/1 ${did}`)
}

function bytes(text: string, field: string): Uint8Array<ArrayBuffer> {
  try {
    return base64.baseDecode(text)
  } catch (err) {
    throw new MalformedBackupError(`${field} is not base64`, { cause: err })
  }
}
