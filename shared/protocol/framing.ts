import * as lp from 'it-length-prefixed'
import type { Stream } from '@libp2p/interface'
import type { Uint8ArrayList } from 'uint8arraylist'
import { varint } from 'multiformats'
import { MAX_FRAME_BYTES, MAX_LENGTH_PREFIX_BYTES } from './limits.ts'
import { FrameTooLargeError, MalformedMessageError } from './errors.ts'

/** A stream's frame bytes so far, length prefixes included. */
export interface FrameBytes {
  read: number
  written: number
}

const counted = new WeakMap<Stream, FrameBytes>()

/** From now on, the frames read from and written to `stream` are added to `bytes`. */
export function countFrameBytes(stream: Stream, bytes: FrameBytes): void {
  counted.set(stream, bytes)
}

/**
 * Frames are an unsigned-varint byte length followed by that many bytes.
 * Reading ends cleanly when the remote closes its side between frames; a
 * frame over the limit is a FrameTooLargeError, a stream cut mid-frame a
 * MalformedMessageError.
 */
export async function* readFrames(stream: Stream, maxFrameBytes = MAX_FRAME_BYTES): AsyncGenerator<Uint8Array> {
  for await (const frame of readFrameLists(stream, maxFrameBytes)) yield frame.subarray()
}

/** As `readFrames`, each frame as the pieces it arrived in, for a reader that copies out what it keeps itself. */
export async function* readFrameLists(stream: Stream, maxFrameBytes = MAX_FRAME_BYTES): AsyncGenerator<Uint8ArrayList> {
  const bytes = counted.get(stream)
  try {
    for await (const frame of lp.decode(stream, { maxDataLength: maxFrameBytes, maxLengthLength: MAX_LENGTH_PREFIX_BYTES })) {
      if (bytes !== undefined) bytes.read += varint.encodingLength(frame.byteLength) + frame.byteLength
      yield frame
    }
  } catch (err) {
    if (!(err instanceof Error)) throw err
    switch (err.name) {
      case 'InvalidDataLengthError':
      case 'InvalidDataLengthLengthError':
        throw new FrameTooLargeError(err.message, { cause: err })
      case 'InvalidMessageLengthError':
      case 'UnexpectedEOFError':
        throw new MalformedMessageError(err.message, { cause: err })
      default:
        throw err
    }
  }
}

/** Writes one frame, waiting for the stream to drain when its buffer is full. */
export async function writeFrame(stream: Stream, body: Uint8Array, options: { signal?: AbortSignal } = {}): Promise<void> {
  await sendFrame(stream, lp.encode.single(body), options)
}

/** Writes a frame already length-prefixed (its prefix and body in one buffer, say). */
export async function sendFrame(stream: Stream, frame: Uint8Array | Uint8ArrayList, options: { signal?: AbortSignal } = {}): Promise<void> {
  const bytes = counted.get(stream)
  if (bytes !== undefined) bytes.written += frame.byteLength
  if (!stream.send(frame)) {
    await stream.onDrain(options)
  }
}
