/** A library feature left out of the browser build because the app never uses it (see scripts/veramo-trim.ts). */
export class NotBuiltInError extends Error {
  static override name = 'NotBuiltInError'
  constructor(what: string) {
    super(`${what} is not built into this app`)
    this.name = 'NotBuiltInError'
  }
}
