import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { gzipSync } from 'node:zlib'

type ManifestChunk = { file: string; isEntry?: boolean; imports?: string[] }

/**
 * The first screen's JavaScript in a build: the entry chunk and every chunk
 * it imports statically (what the browser fetches before the app can start),
 * gzipped at level 9. Read from Vite's build manifest.
 */
export function firstScreenJs(dist = 'dist'): { gzipBytes: number; chunks: number } {
  const manifest = JSON.parse(readFileSync(join(dist, '.vite/manifest.json'), 'utf8')) as Record<string, ManifestChunk>
  if (manifest['index.html']?.isEntry !== true)
    throw new Error(`${dist}/.vite/manifest.json names no entry for index.html: build the app first.`)
  const initial = new Set<string>()
  const visit = (key: string): void => {
    const chunk = manifest[key]
    if (chunk === undefined || initial.has(chunk.file)) return
    initial.add(chunk.file)
    for (const imported of chunk.imports ?? []) visit(imported)
  }
  visit('index.html')
  const sizes = [...initial].map((file) => gzipSync(readFileSync(join(dist, file)), { level: 9 }).byteLength)
  return { gzipBytes: sizes.reduce((a, b) => a + b, 0), chunks: initial.size }
}
