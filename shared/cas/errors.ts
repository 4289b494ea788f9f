/** Errors of the content-addressed store. Callers check `err.name`. */

export class InvalidCidError extends Error {
  static override name = 'InvalidCidError'
  constructor(input: string, options?: ErrorOptions) {
    super(`Not a CID or SHA-256 hex digest: "${input.slice(0, 80)}"`, options)
    this.name = 'InvalidCidError'
  }
}

export class CidMismatchError extends Error {
  static override name = 'CidMismatchError'
  constructor(cid: string) {
    super(`Block bytes do not hash to ${cid}`)
    this.name = 'CidMismatchError'
  }
}

export class UnsupportedHashError extends Error {
  static override name = 'UnsupportedHashError'
  constructor(code: number) {
    super(`Unsupported multihash 0x${code.toString(16)}: only sha2-256 is accepted`)
    this.name = 'UnsupportedHashError'
  }
}

export class UnsupportedCodecError extends Error {
  static override name = 'UnsupportedCodecError'
  constructor(code: number) {
    super(`Unsupported block codec 0x${code.toString(16)}: only raw and dag-pb are accepted`)
    this.name = 'UnsupportedCodecError'
  }
}

export class BlockNotFoundError extends Error {
  static override name = 'BlockNotFoundError'
  constructor(cid: string) {
    super(`Block ${cid} is not stored here`)
    this.name = 'BlockNotFoundError'
  }
}

export class BlockTooLargeError extends Error {
  static override name = 'BlockTooLargeError'
  constructor(bytes: number, max: number) {
    super(`Block of ${bytes} bytes exceeds the ${max}-byte limit`)
    this.name = 'BlockTooLargeError'
  }
}

/** A file larger than the caller allowed; nothing more of it is fetched. */
export class FileTooLargeError extends Error {
  static override name = 'FileTooLargeError'
  readonly bytes: number
  constructor(bytes: number, max: number) {
    super(`The file is ${bytes} bytes, over the ${max}-byte limit for this fetch`)
    this.name = 'FileTooLargeError'
    this.bytes = bytes
  }
}

/** The browser's storage for this site is full, or would be: nothing of the file was kept. */
export class StorageFullError extends Error {
  static override name = 'StorageFullError'
  /** Bytes the work needed and bytes the browser said were free, when known. */
  readonly needed: number | undefined
  readonly available: number | undefined
  constructor(needed?: number, available?: number, options?: ErrorOptions) {
    super(
      needed !== undefined && available !== undefined
        ? `This needs about ${needed} bytes, and the browser allows this site ${available} more`
        : "The browser's storage for this site is full",
      options,
    )
    this.name = 'StorageFullError'
    this.needed = needed
    this.available = available
  }
}

/**
 * Whether a storage failure was the browser's quota. IndexedDB raises a
 * QuotaExceededError DOMException; blockstore-idb wraps it in a
 * PutFailedError whose message is that exception as text.
 */
export function isQuotaExceeded(err: unknown): boolean {
  for (let e = err, depth = 0; typeof e === 'object' && e !== null && depth < 5; e = (e as { cause?: unknown }).cause, depth++) {
    const { name, message } = e as { name?: unknown; message?: unknown }
    if (name === 'QuotaExceededError' || name === 'StorageFullError') return true
    if (typeof message === 'string' && message.includes('QuotaExceededError')) return true
  }
  return false
}
