import type { Identity } from '../../../shared/identity/did-key.ts'
import type { OpenSpace, PresenceState } from './open-space.ts'
import type { OpenSpaces } from './open-spaces.ts'

const COLORS = ['#d1495b', '#00798c', '#edae49', '#66a182', '#8d96a3', '#6a4c93', '#e07a5f']

export interface SpacePresenceComponents {
  spaces: OpenSpaces
  identity: () => Identity
  displayName: () => string
}

/** What the others see of me in a space: my name and color, and the note I am in. */
export class SpacePresence {
  readonly #c: SpacePresenceComponents

  constructor(components: SpacePresenceComponents) {
    this.#c = components
  }

  /** Says who I am in a space just opened. */
  announce(space: OpenSpace): void {
    space.replica.awareness.setLocalState({ user: this.#user() })
  }

  /** Says which note I am in, for the others' presence lists. */
  setEditing(spaceId: string, noteId: string | undefined): void {
    const awareness = this.#c.spaces.need(spaceId).replica.awareness
    if (awareness.getLocalState() !== null) awareness.setLocalStateField('note', noteId)
  }

  /** A new display name reaches the others at the next round. */
  refresh(space: OpenSpace): void {
    const awareness = space.replica.awareness
    const user = (awareness.getLocalState() as Partial<PresenceState> | null)?.user
    if (user !== undefined && user.name !== this.#user().name) awareness.setLocalStateField('user', this.#user())
  }

  #user(): PresenceState['user'] {
    const { did } = this.#c.identity()
    return { did, name: this.#c.displayName() || did.slice(-8), color: colorOf(did) }
  }
}

function colorOf(did: string): string {
  let h = 0
  for (const ch of did) h = (h * 31 + ch.charCodeAt(0)) >>> 0
  return COLORS[h % COLORS.length] as string
}
