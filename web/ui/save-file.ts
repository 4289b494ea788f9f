import type { PeerApp } from '../app/peer-app.ts'
import { describeError } from '../app/describe-error.ts'

/** Offers a Blob to the user as a download. */
export function saveBlob(blob: Blob, name: string): void {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = name
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 60_000)
}

export function saveText(text: string, name: string, type = 'text/plain'): void {
  saveBlob(new Blob([text], { type }), name)
}

/** Saves a file from the library under its name; a failure is reported in words. */
export async function downloadFile(app: PeerApp, file: { cid: string; name: string }): Promise<void> {
  try {
    saveBlob(await app.fileBlob(file.cid), file.name)
  } catch (err) {
    app.reportError(describeError(err))
  }
}
