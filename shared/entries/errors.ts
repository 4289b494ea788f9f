/** Errors of DISOT entries. Callers check `err.name`. */

export class MalformedEntryError extends Error {
  static override name = 'MalformedEntryError'
  constructor(detail: string, options?: ErrorOptions) {
    super(`Not a valid DISOT entry: ${detail}`, options)
    this.name = 'MalformedEntryError'
  }
}

/** A signed token of another kind (peer authentication, a credential) presented as an entry. */
export class NotAnEntryError extends Error {
  static override name = 'NotAnEntryError'
  constructor(kind: unknown) {
    super(`This token is not a DISOT entry (its kind is ${JSON.stringify(kind) ?? 'missing'})`)
    this.name = 'NotAnEntryError'
  }
}

export class InvalidContentCidError extends Error {
  static override name = 'InvalidContentCidError'
  constructor(value: unknown, options?: ErrorOptions) {
    super(`The entry's content CID does not parse: ${JSON.stringify(value)?.slice(0, 80)}`, options)
    this.name = 'InvalidContentCidError'
  }
}

export class InvalidPrevError extends Error {
  static override name = 'InvalidPrevError'
  constructor(value: unknown, options?: ErrorOptions) {
    super(`The entry's previous-version CID does not parse: ${JSON.stringify(value)?.slice(0, 80)}`, options)
    this.name = 'InvalidPrevError'
  }
}

export class EntryCidMismatchError extends Error {
  static override name = 'EntryCidMismatchError'
  constructor(expected: string, actual: string) {
    super(`Entry bytes hash to ${actual}, not ${expected}`)
    this.name = 'EntryCidMismatchError'
  }
}

const CODEC_NAMES: Record<number, string> = {
  0x70: 'dag-pb data (a UnixFS file or folder; look it up in the Library instead)',
  0x71: 'dag-cbor data',
  0x0129: 'dag-json data',
  0x0200: 'JSON data',
}

/** What was given to verify is neither an entry (a compact JWS) nor an entry's ID. */
export class NotAnEntryIdError extends Error {
  static override name = 'NotAnEntryIdError'
  constructor(given: string, codec?: number, options?: ErrorOptions) {
    super(
      codec === undefined
        ? `Expected an entry (a compact JWS: three parts separated by dots, starting "eyJ") or an entry ID (a CID starting "bafkrei"), but what was given is neither: "${given.slice(0, 24)}${given.length > 24 ? '…' : ''}".`
        : `Expected an entry ID (a raw-block CID, starting "bafkrei"), but this CID names ${CODEC_NAMES[codec] ?? `data of codec 0x${codec.toString(16)}`}.`,
      options,
    )
    this.name = 'NotAnEntryIdError'
  }
}
