import type * as Y from 'yjs'

/** A space's document, loaded with what was kept and keeping every later change until closed. */
export interface KeptDoc {
  readonly doc: Y.Doc
  /** Stops keeping changes and destroys the document. */
  close(): Promise<void>
}

/** Keeps each space's Yjs document across reloads. */
export interface DocStore {
  /**
   * The space's document with what was kept loaded into it. A space opened
   * again before it is closed gets the same one: opening early (while the
   * rest of the app is built) is how its loading starts sooner.
   */
  open(spaceId: string): Promise<KeptDoc>
  /** Forgets what was kept for a space (close its document first). */
  delete(spaceId: string): Promise<void>
}
