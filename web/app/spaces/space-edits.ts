import type { Identity } from '../../../shared/identity/did-key.ts'
import { SpaceActionError } from '../../../shared/spaces/errors.ts'
import type { SpaceFile } from './open-space.ts'
import type { OpenSpaces } from './open-spaces.ts'
import type { SpaceContent } from './space-content.ts'

export interface SpaceEditsComponents {
  spaces: OpenSpaces
  content: SpaceContent
  identity: () => Identity
}

/** Changes to what a space holds — notes, files, entries — made on the open space they change; readers may make none. */
export class SpaceEdits {
  readonly #c: SpaceEditsComponents

  constructor(components: SpaceEditsComponents) {
    this.#c = components
  }

  async addNote(spaceId: string, title: string): Promise<string> {
    const space = this.#c.spaces.writable(spaceId)
    const id = crypto.randomUUID().slice(0, 8)
    space.notes.set(id, noteTitle(title))
    return await Promise.resolve(id)
  }

  renameNote(spaceId: string, noteId: string, title: string): void {
    const space = this.#c.spaces.writable(spaceId)
    if (space.notes.has(noteId)) space.notes.set(noteId, noteTitle(title))
  }

  /** Takes a note out of the space, text and all; the first note stays (it can be renamed). */
  deleteNote(spaceId: string, noteId: string): void {
    const space = this.#c.spaces.writable(spaceId)
    if (noteId === 'main') throw new SpaceActionError('The first note of a space stays; rename it instead')
    const text = space.noteText(noteId)
    space.doc.transact(() => {
      space.notes.delete(noteId)
      text.delete(0, text.length)
    })
  }

  /** Puts a file of my library into the space: its members may fetch it from me from now on. */
  addFile(spaceId: string, cid: string, file: Omit<SpaceFile, 'addedBy' | 'addedAt'>): void {
    const space = this.#c.spaces.writable(spaceId)
    this.#c.content.serve(space, cid, true)
    space.files.set(cid, { ...file, addedBy: this.#c.identity().did, addedAt: Date.now() })
  }

  /** The space stops referring to a file; copies members already hold stay in their libraries. */
  removeFile(spaceId: string, cid: string): void {
    const space = this.#c.spaces.writable(spaceId)
    this.#c.content.serve(space, cid, false)
    space.files.delete(cid)
  }

  addEntry(spaceId: string, cid: string, jws: string): void {
    this.#c.spaces.writable(spaceId).entries.set(cid, jws)
  }

  removeEntry(spaceId: string, cid: string): void {
    this.#c.spaces.writable(spaceId).entries.delete(cid)
  }
}

function noteTitle(title: string): string {
  return title.trim() === '' ? 'Untitled note' : title.trim().slice(0, 200)
}
