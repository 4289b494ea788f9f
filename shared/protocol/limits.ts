import { MAX_BLOCK_BYTES } from '../cas/limits.ts'

/** Largest frame body: one block plus its CID and the CBOR map around them. */
export const MAX_FRAME_BYTES = MAX_BLOCK_BYTES + 1024

/** Longest unsigned-varint length prefix accepted (enough for MAX_FRAME_BYTES). */
export const MAX_LENGTH_PREFIX_BYTES = 4

/**
 * Requests a client keeps in flight on one blocks stream: 1 MiB of 256 KiB
 * blocks, enough to keep a direct link busy. With 24 (6 MiB) the sender's
 * WebRTC channel held megabytes at once, and Chromium, under load, refused
 * packets of such bursts (it lets 64 KiB wait for its network process);
 * SCTP then waited out retransmission timeouts, and a 32 MiB transfer stood
 * still for 0.4-0.9 s at a time.
 */
export const WANT_WINDOW = 4

/** How long a peer may stay silent mid-request before the stream is dropped. */
export const BLOCK_REQUEST_TIMEOUT_MS = 20_000

/** The largest space sync frame either side reads or accepts. */
export const MAX_SYNC_FRAME_BYTES = 4 * 1024 * 1024
