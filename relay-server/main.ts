import '../shared/polyfills/promise-with-resolvers.ts'
import { ConfigError, helpText, parseConfig } from './config.ts'
import { startRelayServer } from './server.ts'

// The only file of the relay that prints: everything else reports through return values and errors.
async function main(): Promise<void> {
  let parsed
  try {
    parsed = parseConfig(process.argv.slice(2), process.env)
  } catch (err) {
    if (err instanceof ConfigError) {
      console.error(`relay-server: ${err.message}`)
      process.exit(2)
    }
    throw err
  }
  if (parsed.help) {
    console.log(helpText())
    return
  }
  const running = await startRelayServer(parsed.config, (message, err) => {
    if (err === undefined) console.error(`relay-server: ${message}`)
    else console.error(`relay-server: ${message}:`, err)
  })
  console.log(`CAS/DISOT relay ${running.peerId}`)
  console.log(`Open ${running.url}`)

  let stopping = false
  const stop = (signal: string): void => {
    if (stopping) return
    stopping = true
    console.log(`relay-server: ${signal}, shutting down`)
    running.stop().then(
      () => process.exit(0),
      (err: unknown) => {
        console.error('relay-server: unclean shutdown', err)
        process.exit(1)
      },
    )
  }
  process.on('SIGTERM', () => stop('SIGTERM'))
  process.on('SIGINT', () => stop('SIGINT'))
}

main().catch((err: unknown) => {
  console.error('relay-server: failed to start:', err instanceof Error ? err.message : err)
  process.exit(1)
})
