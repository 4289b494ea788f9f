/** Bytes gathered before they are handed to the browser's blob storage. */
export const BLOB_PART_BYTES = 8 * 1024 * 1024

/**
 * Collects a byte stream into a Blob a few MiB at a time: each part is handed
 * to the browser's blob storage (which keeps large blobs on disk) as soon as
 * it is full, so a file of any size never sits whole in the page's memory.
 */
export async function blobOf(source: AsyncIterable<Uint8Array>, type = '', partBytes = BLOB_PART_BYTES): Promise<Blob> {
  const parts: Blob[] = []
  let pending: Uint8Array<ArrayBuffer>[] = []
  let pendingBytes = 0
  for await (const chunk of source) {
    pending.push(chunk as Uint8Array<ArrayBuffer>)
    pendingBytes += chunk.byteLength
    if (pendingBytes >= partBytes) {
      parts.push(new Blob(pending))
      pending = []
      pendingBytes = 0
    }
  }
  return new Blob([...parts, ...pending], { type })
}
