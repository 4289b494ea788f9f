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
