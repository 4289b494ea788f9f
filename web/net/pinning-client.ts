import { blobOf } from '../../shared/blobs.ts'
import type { PinRef } from '../../shared/cas/library.ts'
import { PinningRefusedError } from '../../shared/protocol/pinning-errors.ts'

export interface PinningClient {
  /** The service's base URL (what the library shows). */
  readonly service: string
  /** Pins a DAG; sends it as a CAR when the service does not hold it yet. */
  pin(cid: string, name: string, car: () => AsyncIterable<Uint8Array>): Promise<PinRef>
  unpin(pin: PinRef): Promise<void>
}

interface PinStatusJson {
  requestid: string
  status: PinRef['status']
  info?: Record<string, string>
}

/**
 * A client of the IPFS Pinning Service API (`/pins`), with the relay's one
 * addition for queued pins: `PUT /pins/{requestid}/car`. The bearer token is
 * made fresh for every request.
 */
export class HttpPinningClient implements PinningClient {
  readonly service: string
  readonly #token: () => Promise<string>

  constructor(init: { service: string; token: () => Promise<string> }) {
    this.service = init.service.replace(/\/$/, '')
    this.#token = init.token
  }

  async pin(cid: string, name: string, car: () => AsyncIterable<Uint8Array>): Promise<PinRef> {
    let status = await this.#call<PinStatusJson>('POST', '/pins', JSON.stringify({ cid, name: name.slice(0, 255) }))
    if (status.status === 'queued') {
      // a Blob, not a stream: Chromium streams request bodies only over HTTP/2
      status = await this.#call<PinStatusJson>('PUT', `/pins/${encodeURIComponent(status.requestid)}/car`, await blobOf(car()))
    }
    return {
      service: this.service,
      requestid: status.requestid,
      status: status.status,
      ...(status.status === 'failed' ? { detail: status.info?.status_details } : {}),
    }
  }

  async unpin(pin: PinRef): Promise<void> {
    try {
      await this.#call('DELETE', `/pins/${encodeURIComponent(pin.requestid)}`)
    } catch (err) {
      // already gone there: unpinned all the same
      if (!(err instanceof PinningRefusedError && err.status === 404)) throw err
    }
  }

  async #call<T>(method: string, path: string, body?: BodyInit): Promise<T> {
    const response = await fetch(`${this.service}${path}`, {
      method,
      headers: {
        authorization: `Bearer ${await this.#token()}`,
        ...(typeof body === 'string' ? { 'content-type': 'application/json' } : {}),
      },
      ...(body === undefined ? {} : { body }),
    })
    if (response.ok) return (response.status === 202 && method === 'DELETE' ? undefined : await response.json()) as T
    const failure = await failureOf(response)
    throw new PinningRefusedError(
      response.status,
      failure?.error?.reason ?? 'UNKNOWN',
      failure?.error?.details ?? `The pinning service answered ${response.status}.`,
    )
  }
}

/** The Pinning Service API's failure body, or undefined when the body is not one (a proxy's HTML page, say): the status then speaks alone. */
async function failureOf(response: Response): Promise<{ error?: { reason?: string; details?: string } } | undefined> {
  try {
    return (await response.json()) as { error?: { reason?: string; details?: string } }
  } catch {
    return undefined
  }
}
