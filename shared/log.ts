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
