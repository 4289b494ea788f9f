/// <reference types="vite/client" />

interface ImportMetaEnv {
  readonly VITE_ICE_SERVERS?: string
}
