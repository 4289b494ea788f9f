import { base32 } from 'multiformats/bases/base32'

/** A space is named by 128 random bits, base32: unguessable, and short enough for a link. */
export function newSpaceId(): string {
  return base32.baseEncode(crypto.getRandomValues(new Uint8Array(16)))
}

export function isSpaceId(value: unknown): value is string {
  return typeof value === 'string' && /^[a-z2-7]{26}$/.test(value)
}

export type SpaceRole = 'read' | 'write'

export function isSpaceRole(value: unknown): value is SpaceRole {
  return value === 'read' || value === 'write'
}
