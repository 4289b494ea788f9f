import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

/**
 * did-jwt's imports of @noble/curves 1.x's Ed25519 resolve to
 * web/shims/noble-ed25519-v1.ts, over the @noble/curves the app uses, so the
 * browser builds and ships one Ed25519. Node (the relay, tests) runs did-jwt whole.
 */
export function oneEd25519(): Plugin {
  const shim = fileURLToPath(new URL('../web/shims/noble-ed25519-v1.ts', import.meta.url))
  return {
    name: 'cas-disot:one-ed25519',
    enforce: 'pre',
    resolveId(source, importer) {
      return source === '@noble/curves/ed25519' && importer?.includes('/node_modules/did-jwt/') === true ? shim : null
    },
  }
}
