import type { StorageRoom } from '../app/library.ts'

/** This site's storage as the browser reports it (the Storage API). */
export const browserStorageRoom: StorageRoom = {
  async available() {
    const estimate = await navigator.storage?.estimate?.()
    if (estimate?.quota === undefined) return undefined
    return Math.max(0, estimate.quota - (estimate.usage ?? 0))
  },
  async persist() {
    if (navigator.storage?.persist === undefined) return false
    return (await navigator.storage.persisted()) || (await navigator.storage.persist())
  },
}
