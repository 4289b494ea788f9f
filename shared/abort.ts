/** A signal that aborts after `ms`, or sooner when the caller's own signal does. */
export function timeoutOr(ms: number, signal: AbortSignal | undefined): AbortSignal {
  return signal === undefined ? AbortSignal.timeout(ms) : AbortSignal.any([AbortSignal.timeout(ms), signal])
}
