import { MAX_BLOCK_BYTES } from '../cas/limits.ts'

/** Largest frame body: one block plus its CID and the CBOR map around them. */
export const MAX_FRAME_BYTES = MAX_BLOCK_BYTES + 1024

/** Longest unsigned-varint length prefix accepted (enough for MAX_FRAME_BYTES). */
export const MAX_LENGTH_PREFIX_BYTES = 4

/**
 * Requests a client keeps in flight on one blocks stream: 1 MiB of 256 KiB
 * blocks, which kept a direct link as busy as 24 did when nothing went
 * wrong. With 24 (6 MiB) the sender's WebRTC channel held megabytes, and its
 * bursts outran Chromium under load: a page may have 64 KiB of packets on
 * their way to the browser's network process, and a packet past that is
 * dropped. SCTP then waited out retransmission timeouts, and a 32 MiB
 * transfer stood still for 0.4-0.9 s at a time.
 */
export const WANT_WINDOW = 4

/** How long a peer may stay silent mid-request before the stream is dropped. */
export const BLOCK_REQUEST_TIMEOUT_MS = 20_000

/** The largest space sync frame either side reads or accepts. */
export const MAX_SYNC_FRAME_BYTES = 4 * 1024 * 1024
