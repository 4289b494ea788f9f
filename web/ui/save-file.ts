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
