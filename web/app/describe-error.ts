/** Turns our typed errors into words a person understands. */
const MESSAGES: Record<string, string> = {
  NoPathToPeerError: 'Could not reach the other browser through any relay. It may be closed or offline; try again when it is open.',
  InvalidPeerAddressError: 'The share link does not contain a usable address for the other browser.',
  InvalidShareLinkError: 'This share link is damaged or incomplete.',
  BlockNotFoundError: 'The other browser does not have this file, or does not share it with you (it answers both the same way).',
  CidMismatchError: "Data arrived that does not match the file's content ID; it was refused and nothing of it was kept.",
  UnexpectedBlockError: 'The other browser answered with the wrong data; the transfer was stopped.',
  RemoteError: 'The other browser refused the request.',
  StreamEndedError: 'The link to the other browser closed before the transfer finished.',
  MalformedMessageError: 'The other browser sent data this app does not understand; the transfer was stopped.',
  InvalidCidError: 'That is not a valid content ID (CIDv1, bafy… or bafk…) or SHA-256 hash (64 hex digits).',
  UnsupportedCodecError:
    'That content ID names a kind of data this app does not hold (it keeps raw blocks and UnixFS files: CIDs starting bafk… or bafy…).',
  UnsupportedHashError: 'That content ID uses a hash this app does not check (only SHA-256).',
  NotShareableYetError: 'This browser is not reachable yet: wait until the relay is connected, then share again.',
  FileTooLargeError: 'This file is larger than this fetch allows; nothing more of it was fetched.',
  QuotaExceededError: "The browser's storage for this site is full. Delete some files and try again; nothing of this was kept.",
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
const WORDED = new Set([
  'NoSourceError',
  'InvalidRelayError',
  'NoDirectLinkError',
  'NotAnEntryIdError',
  'InvitationRefusedError',
  'SpaceActionError',
  'InvalidInviteLinkError',
  'InvalidSpaceLinkError',
])

export function describeError(err: unknown): string {
  // DOMExceptions from IndexedDB and errors from other realms may fail `instanceof Error`: go by name
  if (typeof err === 'object' && err !== null && typeof (err as { name?: unknown }).name === 'string') {
    const { name, message } = err as { name: string; message?: unknown }
    if (name === 'StorageFullError') return storageFull(err)
    if (WORDED.has(name) && typeof message === 'string') return message
    if (name === 'MalformedEntryError' && typeof message === 'string')
      return `The entry is not valid: ${message.replace(/^Not a valid DISOT entry: /, '')}.`
    if (name === 'InvalidCredentialError' && typeof message === 'string') return credentialProblem(message)
    const known = MESSAGES[name]
    if (known !== undefined) return known
    if (typeof message === 'string' && message !== '') return `Something went wrong: ${message}`
  }
  if (typeof Event !== 'undefined' && err instanceof Event)
    return 'The connection failed: the other side could not be reached or closed it.'
  return `Something went wrong: ${String(err)}`
}

/** did-jwt and Veramo say why in codes: the common ones in words, the rest as they come. */
function credentialProblem(message: string): string {
  const detail = message.replace(/^Not a valid trust credential: /, '')
  const why = /invalid_signature|no_suitable_keys/.test(detail)
    ? 'its signature was not made by the DID it names as issuer, or it was changed after signing'
    : /expired|exp/.test(detail) && /invalid_jwt/.test(detail)
      ? 'it has expired, or is not valid yet'
      : /expected header\.payload\.signature|JSON/.test(detail)
        ? 'it is not a JWT'
        : detail
  return `This credential was not accepted: ${why}. Nothing was kept.`
}

function storageFull({ needed, available }: { needed?: number; available?: number }): string {
  const mib = (n: number) => `${Math.ceil(n / 2 ** 20)} MiB`
  const sizes =
    needed !== undefined && available !== undefined
      ? ` This needs about ${mib(needed)}; the browser allows this site ${mib(available)} more.`
      : ''
  return `Not enough storage in this browser for that.${sizes} Nothing of it was kept. Delete some files, or use a normal (not private) window, which usually has more room.`
}
