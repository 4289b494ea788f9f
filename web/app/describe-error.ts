/** Turns our typed errors into words a person understands. */
const MESSAGES: Record<string, string> = {
  NoDirectLinkError: 'Could not open a direct link to the other browser. It may be closed, offline, or its share link may be old.',
  InvalidPeerAddressError: 'The share link does not contain a usable address for the other browser.',
  InvalidShareLinkError: 'This share link is damaged or incomplete.',
  BlockNotFoundError: 'The other browser no longer has (all of) this file.',
  CidMismatchError: "Data arrived that does not match the file's content ID; it was refused and nothing of it was kept.",
  UnexpectedBlockError: 'The other browser answered with the wrong data; the transfer was stopped.',
  RemoteError: 'The other browser refused the request.',
  StreamEndedError: 'The link to the other browser closed before the transfer finished.',
  MalformedMessageError: 'The other browser sent data this app does not understand; the transfer was stopped.',
  InvalidCidError: 'That is not a valid content ID or SHA-256 hash.',
  NotShareableYetError: 'This browser is not reachable yet: wait until the relay is connected, then share again.',
  QuotaExceededError: "The browser's storage for this site is full. Delete some files and try again.",
  AbortError: 'Cancelled.',
}

export function describeError(err: unknown): string {
  if (err instanceof Error) {
    const known = MESSAGES[err.name]
    if (known !== undefined) return known
    return `Something went wrong: ${err.message}`
  }
  return `Something went wrong: ${String(err)}`
}
