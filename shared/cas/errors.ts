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
