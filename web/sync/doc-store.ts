import type * as Y from 'yjs'

/** Keeps a space's Yjs document across reloads. */
export interface DocStore {
  /** Loads what was kept into \`doc\`, then keeps every later change; returns the function that stops keeping. */
  attach(spaceId: string, doc: Y.Doc): Promise<() => Promise<void>>
  delete(spaceId: string): Promise<void>
}
