import { logger, type Logger } from '@libp2p/logger'

export type { Logger }

/**
 * Our components' logger: libp2p's, under the `cas-disot:` prefix, so one
 * switch shows ours and libp2p's alike (`localStorage.debug = 'cas-disot:*'`
 * in a browser, `DEBUG=cas-disot:*` for the relay). Errors logged here were
 * handled; the log says what was being done when they happened.
 */
export function logOf(component: string): Logger {
  return logger(`cas-disot:${component}`)
}

/**
 * The handler for a failure that changes nothing but is worth knowing of
 * (closing a stream the other side already dropped, say): it logs what was
 * being done, and the error.
 */
export function logFailure(log: Logger, doing: string): (err: unknown) => void {
  return (err: unknown) => log('%s failed: %e', doing, err)
}
