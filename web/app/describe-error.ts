/** Turns our typed errors into words a person understands. */
const MESSAGES: Record<string, string> = {
  NoDirectLinkError: 'Could not open a direct link to the other browser. It may be closed, offline, or its share link may be old.',
  InvalidPeerAddressError: 'The share link does not contain a usable address for the other browser.',
  InvalidShareLinkError: 'This share link is damaged or incomplete.',
  BlockNotFoundError: 'The other browser does not have this file, or does not share it with you (it answers both the same way).',
  CidMismatchError: "Data arrived that does not match the file's content ID; it was refused and nothing of it was kept.",
  UnexpectedBlockError: 'The other browser answered with the wrong data; the transfer was stopped.',
  RemoteError: 'The other browser refused the request.',
  StreamEndedError: 'The link to the other browser closed before the transfer finished.',
  MalformedMessageError: 'The other browser sent data this app does not understand; the transfer was stopped.',
  InvalidCidError: 'That is not a valid content ID or SHA-256 hash.',
  NotShareableYetError: 'This browser is not reachable yet: wait until the relay is connected, then share again.',
  FileTooLargeError: 'This file is larger than this fetch allows; nothing more of it was fetched.',
  QuotaExceededError: "The browser's storage for this site is full. Delete some files and try again.",
  AbortError: 'Cancelled.',
  SignatureInvalidError: 'The signature does not match: this entry was changed, or was not signed by the DID it names.',
  UnsupportedAlgorithmError: 'The entry is signed with an algorithm this app does not accept (only EdDSA).',
  MalformedJwsError: 'That is not a signed entry (a compact JWS).',
  NotAnEntryError: 'That token is signed, but it is not a DISOT entry (it may be a login token or a credential).',
  InvalidContentCidError: "The entry's content CID is not valid.",
  InvalidPrevError: "The entry's previous-version CID is not valid.",
  EntryCidMismatchError: 'The entry does not match the CID it was looked up by.',
  EntryNotFoundError: 'No entry with that ID is stored here.',
  InvalidDidError: 'That is not a valid Ed25519 did:key.',
  WrongPassphraseError: 'The passphrase does not open this backup (or the file was altered). Nothing was changed.',
  MalformedBackupError: 'This file is not a usable identity backup. Nothing was changed.',
  WeakPassphraseError: 'Choose a passphrase of at least 8 characters.',
  InvalidTrustLevelError: 'A trust level is a whole number from 0 to 100.',
  FileNotInLibraryError: 'That file is not in the library.',
  DisplayNameError: 'A display name has at most 64 characters.',
}

/** Errors whose own message is already written for the person reading it. */
const WORDED = new Set(['InvitationRefusedError', 'SpaceActionError', 'InvalidInviteLinkError', 'InvalidSpaceLinkError'])

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    if (WORDED.has(err.name)) return err.message
    if (err.name === 'MalformedEntryError') return `The entry is not valid: ${err.message.replace(/^Not a valid DISOT entry: /, '')}.`
    const known = MESSAGES[err.name]
    if (known !== undefined) return known
    return `Something went wrong: ${err.message}`
  }
  return `Something went wrong: ${String(err)}`
}
