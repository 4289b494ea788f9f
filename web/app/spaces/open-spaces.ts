import type { SpaceRecord } from '../../../shared/spaces/space-record.ts'
import type { OpenSpace } from './open-space.ts'

/** The open spaces, as the parts of the spaces service reach them. */
export interface OpenSpaces {
  get(spaceId: string): OpenSpace | undefined
  /** Throws SpaceActionError when the space is not here. */
  need(spaceId: string): OpenSpace
  /** A space I own, for an action only its owner may take (`action` completes "Only the owner of a space can …"). */
  owned(spaceId: string, action: string): OpenSpace
  /** A space I may change; throws SpaceActionError when I may only read it (every member would refuse my changes). */
  writable(spaceId: string): OpenSpace
  /** Resolves once the spaces kept here are open (at once when none are being opened). */
  kept(): Promise<void>
  /** Opens a space from its record and holds it open. */
  open(record: SpaceRecord): Promise<OpenSpace>
  /** Closes a space and deletes everything this browser keeps of it. */
  forget(space: OpenSpace): Promise<void>
  /** Something the views show changed. */
  changed(): void
}
