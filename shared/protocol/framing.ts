import * as lp from 'it-length-prefixed'
import type { Stream } from '@libp2p/interface'
import { MAX_FRAME_BYTES, MAX_LENGTH_PREFIX_BYTES } from './limits.ts'
import { FrameTooLargeError, MalformedMessageError } from './errors.ts'

/**
 * Frames are an unsigned-varint byte length followed by that many bytes.
 * Reading ends cleanly when the remote closes its side between frames; a
 * frame over the limit is a FrameTooLargeError, a stream cut mid-frame a
 * MalformedMessageError.
 */
export async function* readFrames(stream: Stream, maxFrameBytes = MAX_FRAME_BYTES): AsyncGenerator<Uint8Array> {
  try {
    for await (const frame of lp.decode(stream, { maxDataLength: maxFrameBytes, maxLengthLength: MAX_LENGTH_PREFIX_BYTES })) {
      yield frame.subarray()
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
  if (!stream.send(lp.encode.single(body))) {
    await stream.onDrain(options)
  }
}
