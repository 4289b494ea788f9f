import type { TrustCredential, RevocationList } from './credentials.ts'

/** Verified trust credentials (mine and others') and each issuer's newest revocation list. */
export interface CredentialStore {
  putCredential(credential: TrustCredential): Promise<void>
  listCredentials(): Promise<TrustCredential[]>
  /** Keeps the list only if it is newer than the one held for its issuer. */
  putRevocations(list: RevocationList): Promise<void>
  listRevocations(): Promise<RevocationList[]>
}
