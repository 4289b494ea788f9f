import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'

export interface RelayProcess {
  url: string
  port: number
  keyFile: string
  staticDir: string
  exitCode: number | null
  /** SIGTERM, then wait for the process to exit. */
  stop(): Promise<void>
  exited: boolean
}

/** Directories made here for a relay's key and data, whichever relays shared them: removed when this process exits, or when a test suite is done with them. */
const made: string[] = []
process.once('exit', () => removeRelayDirs())

/** Removes the key and data directories of every relay started here: they must all have stopped. */
export function removeRelayDirs(): void {
  for (const dir of made.splice(0)) rmSync(dir, { recursive: true, force: true })
}

/** Starts the real relay (built app included) as its own process on a free loopback port. */
export async function startRelayProcess(
  options: { keyFile?: string; port?: number; staticDir?: string; args?: string[] } = {},
): Promise<RelayProcess> {
  const keyFile = options.keyFile ?? join(madeDir(), 'peer-key')
  const child: ChildProcess = spawn(
    process.execPath,
    [
      '--import',
      'tsx',
      'relay-server/main.ts',
      '--port',
      String(options.port ?? 0),
      '--key-file',
      keyFile,
      '--static-dir',
      options.staticDir ?? 'dist',
      // pinned content lives beside the key: a restart with the same key keeps it
      '--data-dir',
      join(dirname(keyFile), 'data'),
      ...(options.args ?? []),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, RELAY_HOST: '127.0.0.1' } },
  )
  let output = ''
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`relay did not start in 30 s:\n${output}`)), 30_000)
    const onData = (chunk: Buffer): void => {
      output = (output + chunk.toString()).slice(-16_000)
      const match = /Open (http:\/\/\S+)/.exec(output)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', onData)
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`relay exited with ${code}:\n${output}`))
    })
  })
  const relay: RelayProcess = {
    url,
    port: Number(new URL(url).port),
    keyFile,
    staticDir: options.staticDir ?? 'dist',
    exitCode: null,
    exited: false,
    async stop() {
      if (relay.exited) return
      const exit = new Promise<void>((resolve) => child.once('exit', () => resolve()))
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exit
      clearTimeout(timer)
    },
  }
  let stopping = false
  const stop = relay.stop.bind(relay)
  relay.stop = async () => {
    stopping = true
    await stop()
  }
  child.once('exit', (code, signal) => {
    relay.exited = true
    relay.exitCode = code
    // a relay that dies on its own mid-test says why in the test's log (its output is kept from the start)
    if (!stopping)
      process.stderr.write(`relay on port ${relay.port} exited by itself (${signal ?? code}); its last output:\n${output.slice(-4000)}\n`)
  })
  return relay
}

function madeDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'cas-disot-relay-'))
  made.push(dir)
  return dir
}
