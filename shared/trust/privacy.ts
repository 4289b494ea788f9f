import { TRUST } from './levels.ts'

/**
 * Who may receive a piece of content. Public may go anywhere; private only to
 * authenticated peers I trust at `minLevel` or more; restricted only to the
 * named DIDs. Everyone else gets the answer they would get for content that
 * does not exist.
 */
export type Privacy = { class: 'public' } | { class: 'private'; minLevel: number } | { class: 'restricted'; dids: string[] }

export const DEFAULT_PRIVACY: Privacy = { class: 'private', minLevel: TRUST.trusted }

/** Whether a peer proven to be `did`, whom I trust at `level`, may receive content of this class. */
export function privacyAllows(privacy: Privacy, did: string, level: number): boolean {
  if (level <= TRUST.blocked) return false
  switch (privacy.class) {
    case 'public':
      return true
    case 'private':
      return level >= privacy.minLevel
    case 'restricted':
      return privacy.dids.includes(did)
  }
}
