// Checks the built app: every package is bundled from one directory only,
// so no library ships twice (two copies of multiformats' CID class, for
// one, do not recognise each other's CIDs); and the first screen's
// JavaScript stays within its budget. Run after `vite build`.
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { firstScreenJs } from './first-screen.ts'

/**
 * did-jwt 8 (the version Veramo 7 and did-jwt-vc 4 use) imports @noble 1's
 * subpaths, which @noble 2 no longer exports: it keeps its own copy. The
 * libp2p logger imports `ms` 4's named export, Veramo's `debug` (in the
 * credential agent's chunk) the function `ms` 2 exports: 3 kB.
 */
const ALLOWED_TWICE = new Set(['@noble/hashes', '@noble/curves', 'ms'])

const assets = 'dist/assets'
const copies = new Map<string, Set<string>>()
for (const file of readdirSync(assets).filter((f) => f.endsWith('.js.map'))) {
  const map = JSON.parse(readFileSync(join(assets, file), 'utf8')) as { sources: string[] }
  for (const source of map.sources) {
    const found = /^(.*node_modules\/)((?:@[^/]+\/)?[^/]+)\//.exec(source)
    if (found === null) continue
    const [, dir, name] = found as unknown as [string, string, string]
    const dirs = copies.get(name) ?? new Set<string>()
    dirs.add(dir.replace(/^.*?node_modules\//, 'node_modules/') + name)
    copies.set(name, dirs)
  }
}
if (copies.size === 0) throw new Error('No bundled package found: build the app (with source maps) first.')
// what scripts/veramo-trim.ts keeps out: Ethereum support and schema validation, which the app never uses
const NEVER_BUNDLED = ['ethers', 'z-schema', 'validator']
const unwanted = NEVER_BUNDLED.filter((name) => copies.has(name))
if (unwanted.length > 0) {
  console.error(`bundled though the app never uses it: ${unwanted.join(', ')} (see scripts/veramo-trim.ts)`)
  process.exit(1)
}
const twice = [...copies].filter(([name, dirs]) => dirs.size > 1 && !ALLOWED_TWICE.has(name))
for (const [name, dirs] of twice) console.error(`${name} is bundled ${dirs.size} times: ${[...dirs].join(', ')}`)
if (twice.length > 0) process.exit(1)
console.log(`bundle: ${copies.size} packages, one copy of each (${[...ALLOWED_TWICE].join(', ')} excepted)`)

// The first screen's JavaScript: the entry chunk and every chunk it imports
// statically, gzipped. Everything else (editor, Helia, UnixFS, QR codes) loads
// on demand; a change that pulls it into the first screen fails here.
const FIRST_SCREEN_BUDGET_BYTES = 350_000
const { gzipBytes: total, chunks } = firstScreenJs()
const kB = (bytes: number): string => `${(bytes / 1000).toFixed(1)} kB`
if (total > FIRST_SCREEN_BUDGET_BYTES) {
  console.error(`first screen: ${kB(total)} of JavaScript gzipped in ${chunks} chunks, over the ${kB(FIRST_SCREEN_BUDGET_BYTES)} budget`)
  process.exit(1)
}
console.log(`first screen: ${kB(total)} of JavaScript gzipped in ${chunks} chunks (budget ${kB(FIRST_SCREEN_BUDGET_BYTES)})`)
