import * as decoding from 'lib0/decoding'

const MAX_CLIENTS_PER_UPDATE = 16
const MAX_STATE_CHARS = 16 * 1024

/**
 * Reads a y-protocols awareness update before it is applied and checks that
 * every presence in it speaks for the sender: each state is null (gone) or
 * names `user.did` equal to the DID that signed the frame, and no client ID
 * already belongs to someone else. Returns the client IDs; throws otherwise.
 */
export function checkAwarenessUpdate(update: Uint8Array, did: string, ownerOf: (client: number) => string | undefined): number[] {
  const decoder = decoding.createDecoder(update)
  const count = decoding.readVarUint(decoder)
  if (count > MAX_CLIENTS_PER_UPDATE) throw new Error('too many presences')
  const clients: number[] = []
  for (let i = 0; i < count; i++) {
    const client = decoding.readVarUint(decoder)
    decoding.readVarUint(decoder)
    const json = decoding.readVarString(decoder)
    if (json.length > MAX_STATE_CHARS) throw new Error('presence too large')
    const state = JSON.parse(json) as unknown
    const owner = ownerOf(client)
    if (owner !== undefined && owner !== did) throw new Error('presence of another DID')
    if (state !== null && (typeof state !== 'object' || (state as { user?: { did?: unknown } }).user?.did !== did)) {
      throw new Error('presence does not name its sender')
    }
    clients.push(client)
  }
  if (decoding.hasContent(decoder)) throw new Error('trailing bytes')
  return clients
}
