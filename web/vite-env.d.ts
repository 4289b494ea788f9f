/// <reference types="vite/client" />
/// <reference types="vite-plugin-pwa/client" />

interface ImportMetaEnv {
  readonly VITE_ICE_SERVERS?: string
  /** Relays every copy of this build knows, besides the one that served it: comma-separated multiaddrs. */
  readonly VITE_RELAYS?: string
}
