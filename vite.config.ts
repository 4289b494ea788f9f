import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { compression } from 'vite-plugin-compression2'

// `npm run dev` serves the app with hot reload and proxies the relay's
// endpoints, so the app still finds its relay on its own origin.
const relay = process.env.RELAY_URL ?? 'http://127.0.0.1:8787'

export default defineConfig({
  // gzip and brotli copies of every asset, made once at build time: the relay
  // serves whichever the browser accepts without compressing per request
  plugins: [react(), compression({ algorithms: ['gzip', 'brotliCompress'], exclude: [/\.map$/], threshold: 1024 })],
  // the manifest tells the bundle check which chunks the first screen loads
  build: { outDir: 'dist', target: 'es2022', sourcemap: true, manifest: true },
  server: {
    proxy: {
      // changeOrigin: the relay derives the address it hands out from Host
      '/multiaddrs': { target: relay, changeOrigin: true },
      '/health': { target: relay, changeOrigin: true },
    },
  },
})
