import { isIP } from 'node:net'
/** Relay configuration: flags override environment variables, which override defaults. */
export interface RelayConfig {
  host: string
  port: number
  keyFile: string
  /** Directory of the built web app to serve, or undefined to serve none. */
  staticDir: string | undefined
  maxReservations: number
  /** Reservations one real client address may hold at once. */
  maxReservationsPerAddress: number
  maxConnections: number
  /** WebSockets one client address may open per second (bursts of twice that), and hold open at once. */
  connectionRatePerAddress: number
  maxConnectionsPerAddress: number
  /** Proxies (IP addresses) whose X-Forwarded-For names the client; none by default. */
  trustProxy: string[]
  /** Limits of one relayed (not yet direct) connection. */
  relayDurationLimitSeconds: number
  relayDataLimitBytes: number
  /** Where pinned blocks and pin records are kept. */
  dataDir: string
  maxPinBytes: number
  pinQuotaBytes: number
  pinQuotaCount: number
}

export class ConfigError extends Error {
  static override name = 'ConfigError'
  constructor(message: string) {
    super(message)
    this.name = 'ConfigError'
  }
}

interface Option {
  flag: string
  env: string
  help: string
  fallback: string
}

const OPTIONS = {
  host: { flag: '--host', env: 'RELAY_HOST', help: 'address to listen on', fallback: '127.0.0.1' },
  port: { flag: '--port', env: 'RELAY_PORT', help: 'TCP port for HTTP and WebSockets (0 = any free port)', fallback: '8787' },
  keyFile: {
    flag: '--key-file',
    env: 'RELAY_KEY_FILE',
    help: "file holding the relay's libp2p key (created if absent)",
    fallback: '.relay/peer-key',
  },
  staticDir: { flag: '--static-dir', env: 'RELAY_STATIC_DIR', help: 'built web app to serve ("" for none)', fallback: 'dist' },
  maxReservations: {
    flag: '--max-reservations',
    env: 'RELAY_MAX_RESERVATIONS',
    help: 'browsers that may hold a relay reservation at once (>= 128)',
    fallback: '512',
  },
  maxReservationsPerAddress: {
    flag: '--max-reservations-per-address',
    env: 'RELAY_MAX_RESERVATIONS_PER_ADDRESS',
    help: 'reservations one client address (IP) may hold at once',
    fallback: '32',
  },
  maxConnections: { flag: '--max-connections', env: 'RELAY_MAX_CONNECTIONS', help: 'open libp2p connections at most', fallback: '1024' },
  connectionRatePerAddress: {
    flag: '--connection-rate-per-address',
    env: 'RELAY_CONNECTION_RATE_PER_ADDRESS',
    help: 'WebSockets one client address (IP) may open per second, bursts of twice that',
    fallback: '20',
  },
  maxConnectionsPerAddress: {
    flag: '--max-connections-per-address',
    env: 'RELAY_MAX_CONNECTIONS_PER_ADDRESS',
    help: 'WebSockets one client address (IP) may hold open at once',
    fallback: '128',
  },
  trustProxy: {
    flag: '--trust-proxy',
    env: 'RELAY_TRUST_PROXY',
    help: 'comma-separated IP addresses of proxies whose X-Forwarded-For names the client ("" for none)',
    fallback: '',
  },
  relayDurationLimitSeconds: {
    flag: '--relay-duration-limit',
    env: 'RELAY_DURATION_LIMIT_S',
    help: 'seconds a relayed connection may last',
    fallback: '600',
  },
  relayDataLimitBytes: {
    flag: '--relay-data-limit',
    env: 'RELAY_DATA_LIMIT_BYTES',
    help: 'bytes a relayed connection may carry each way',
    fallback: '16777216',
  },
  dataDir: { flag: '--data-dir', env: 'RELAY_DATA_DIR', help: 'where pinned content and pin records are kept', fallback: '.relay/data' },
  maxPinBytes: {
    flag: '--max-pin-bytes',
    env: 'RELAY_MAX_PIN_BYTES',
    help: 'largest DAG one pin may hold',
    fallback: String(256 * 2 ** 20),
  },
  pinQuotaBytes: {
    flag: '--pin-quota-bytes',
    env: 'RELAY_PIN_QUOTA_BYTES',
    help: 'bytes one DID may have pinned',
    fallback: String(2 ** 30),
  },
  pinQuotaCount: { flag: '--pin-quota-count', env: 'RELAY_PIN_QUOTA_COUNT', help: 'pins one DID may have', fallback: '1000' },
} as const satisfies Record<keyof RelayConfig, Option>

export const MIN_RESERVATIONS = 128

export function helpText(): string {
  const rows = Object.values(OPTIONS).map(
    (o) => `  ${`${o.flag} <value>`.padEnd(30)} ${o.help}\n  ${''.padEnd(30)} env ${o.env}, default ${o.fallback}`,
  )
  return [
    'Usage: relay-server [options]',
    '',
    'The CAS/DISOT relay: signalling, circuit relay and discovery, plus the web app.',
    '',
    ...rows,
    '  --help                         print this and exit',
    '',
  ].join('\n')
}

export type ParsedArgs = { help: true } | { help: false; config: RelayConfig }

/** Validates flags and environment; every bad value gets a ConfigError naming it. */
export function parseConfig(argv: readonly string[], env: Readonly<Record<string, string | undefined>>): ParsedArgs {
  const flags = readFlags(argv)
  if (flags.has('--help')) return { help: true }
  const raw = (key: keyof typeof OPTIONS): { value: string; source: string } => {
    const o = OPTIONS[key]
    const flag = flags.get(o.flag)
    if (flag !== undefined) return { value: flag, source: o.flag }
    const fromEnv = env[o.env]
    if (fromEnv !== undefined) return { value: fromEnv, source: o.env }
    return { value: o.fallback, source: `default of ${o.flag}` }
  }
  const addresses = (key: keyof typeof OPTIONS): string[] => {
    const { value, source } = raw(key)
    const list = value
      .split(',')
      .map((a) => a.trim())
      .filter((a) => a !== '')
    const bad = list.find((a) => isIP(a) === 0)
    if (bad !== undefined) throw new ConfigError(`${source} must list IP addresses, got "${bad}"`)
    return list
  }
  const int = (key: keyof typeof OPTIONS, min: number, max: number): number => {
    const { value, source } = raw(key)
    if (!/^\d+$/.test(value.trim())) throw new ConfigError(`${source} must be a whole number, got "${value}"`)
    const n = Number(value)
    if (n < min || n > max) throw new ConfigError(`${source} must be between ${min} and ${max}, got ${n}`)
    return n
  }
  const host = raw('host')
  if (!/^[a-zA-Z0-9.:-]+$/.test(host.value)) throw new ConfigError(`${host.source} must be a host name or IP address, got "${host.value}"`)
  const keyFile = raw('keyFile')
  if (keyFile.value.trim() === '') throw new ConfigError(`${keyFile.source} must name a file`)
  const staticDir = raw('staticDir').value
  const dataDir = raw('dataDir')
  if (dataDir.value.trim() === '') throw new ConfigError(`${dataDir.source} must name a folder`)
  return {
    help: false,
    config: {
      host: host.value,
      port: int('port', 0, 65535),
      keyFile: keyFile.value,
      staticDir: staticDir === '' ? undefined : staticDir,
      maxReservations: int('maxReservations', MIN_RESERVATIONS, 100_000),
      maxReservationsPerAddress: int('maxReservationsPerAddress', 1, 100_000),
      maxConnections: int('maxConnections', 2 * MIN_RESERVATIONS, 200_000),
      connectionRatePerAddress: int('connectionRatePerAddress', 1, 100_000),
      maxConnectionsPerAddress: int('maxConnectionsPerAddress', 1, 200_000),
      trustProxy: addresses('trustProxy'),
      relayDurationLimitSeconds: int('relayDurationLimitSeconds', 10, 86_400),
      relayDataLimitBytes: int('relayDataLimitBytes', 65_536, 2 ** 40),
      dataDir: dataDir.value,
      maxPinBytes: int('maxPinBytes', 1, 2 ** 40),
      pinQuotaBytes: int('pinQuotaBytes', 1, 2 ** 50),
      pinQuotaCount: int('pinQuotaCount', 1, 1_000_000),
    },
  }
}

function readFlags(argv: readonly string[]): Map<string, string> {
  const known = new Set<string>(Object.values(OPTIONS).map((o) => o.flag))
  const flags = new Map<string, string>()
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string
    if (arg === '--help' || arg === '-h') {
      flags.set('--help', '')
      continue
    }
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined]
    if (!known.has(name)) throw new ConfigError(`unknown option "${arg}" (see --help)`)
    const value = inline ?? argv[++i]
    if (value === undefined) throw new ConfigError(`${name} needs a value`)
    flags.set(name, value)
  }
  return flags
}
