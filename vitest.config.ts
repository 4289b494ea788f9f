import { defineConfig } from 'vitest/config'

export default defineConfig({
  test: {
    include: ['shared/**/*.test.ts', 'web/**/*.test.ts', 'relay-server/**/*.test.ts'],
    setupFiles: ['shared/polyfills/promise-with-resolvers.ts'],
    testTimeout: 20_000,
  },
})
