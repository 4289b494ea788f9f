import { fileURLToPath } from 'node:url'
import type { Plugin } from 'vite'

const shim = (name: string): string => fileURLToPath(new URL(`../web/shims/${name}.ts`, import.meta.url))

/**
 * Keeps what of Veramo reaches the browser to what the app uses: its imports
 * of ethers (Ethereum keys and transactions), z-schema (argument validation,
 * off), its plugins' method schemas and the key manager's did-jwt JWE
 * functions resolve to small stand-ins that throw NotBuiltInError if ever
 * called. Only imports made from Veramo's own
 * packages are redirected; Node (tests, the interop check) runs Veramo whole.
 */
export function veramoTrim(): Plugin {
  return {
    name: 'cas-disot:veramo-trim',
    enforce: 'pre',
    resolveId(source, importer) {
      if (importer === undefined || !importer.includes('/node_modules/@veramo/')) return null
      if (source === 'ethers') return shim('ethers')
      if (source === 'z-schema') return shim('z-schema')
      if (source === './plugin.schema.js' && importer.includes('/@veramo/core-types/')) return shim('veramo-schemas')
      if (source === 'did-jwt' && importer.includes('/@veramo/key-manager/')) return shim('did-jwt-jwe')
      return null
    },
  }
}
