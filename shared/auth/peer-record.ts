import type { Did } from '../identity/did-key.ts'
import type { AuthFailure } from './errors.ts'

/** What this browser knows of a DID it met: an entry of the peer book. */
export interface PeerRecord {
  did: Did
  name: string
  peerIds: string[]
  lastSeen: number
  status: 'authenticated' | 'refused'
  lastFailure: AuthFailure | undefined
  failures: number
}
