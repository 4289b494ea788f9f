import { defineConfig } from 'vite'
import react from '@vitejs/plugin-react'
import { compression } from 'vite-plugin-compression2'
import { VitePWA } from 'vite-plugin-pwa'
import { veramoTrim } from './scripts/veramo-trim.ts'
import { oneEd25519 } from './scripts/one-ed25519.ts'

// `npm run dev` serves the app with hot reload and proxies the relay's
// endpoints, so the app still finds its relay on its own origin.
const relay = process.env.RELAY_URL ?? 'http://127.0.0.1:8787'

export default defineConfig({
  // gzip and brotli copies of every asset, made once at build time: the relay
  // serves whichever the browser accepts without compressing per request
  plugins: [
    react(),
    veramoTrim(),
    oneEd25519(),
    // the service worker keeps the built app (Workbox precache): after one visit it starts
    // without a network; a new version waits for the person to reload (web/app-shell.ts)
    VitePWA({
      registerType: 'prompt',
      injectRegister: false,
      includeAssets: ['favicon.svg'],
      manifest: {
        name: 'CAS/DISOT Peer',
        short_name: 'CAS/DISOT',
        description: 'Content-addressed files, signed entries and shared spaces, exchanged browser to browser.',
        theme_color: '#1d4ed8',
        background_color: '#f3f4f6',
        display: 'standalone',
        start_url: '/',
        icons: [
          { src: '/icon-192.png', sizes: '192x192', type: 'image/png' },
          { src: '/icon-512.png', sizes: '512x512', type: 'image/png' },
          { src: '/icon-512-maskable.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
        ],
      },
      workbox: {
        globPatterns: ['**/*.{js,css,html,svg,png}'],
        // the app's largest chunk is about 1 MB; the default limit is 2 MiB
        maximumFileSizeToCacheInBytes: 4 * 1024 * 1024,
        navigateFallback: '/index.html',
        // the relay's own endpoints are never the app: a gateway or pinning URL opened in a tab goes to the relay
        navigateFallbackDenylist: [/^\/(ipfs|pins|health|metrics|multiaddrs)(\/|$)/],
      },
    }),
    compression({ algorithms: ['gzip', 'brotliCompress'], exclude: [/\.map$/], threshold: 1024 }),
  ],
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
