import { DIRECTORY_TYPE, type DirectoryEntry } from '../../shared/cas/directory.ts'

export type { DirectoryEntry }

/** What the UI shows for a file: text, an image, or a hex dump. */
export type Preview =
  | { kind: 'text'; text: string; truncated: boolean }
  | { kind: 'image'; blob: Blob }
  | { kind: 'hex'; lines: string[]; truncated: boolean }
  | { kind: 'directory'; entries: DirectoryEntry[] }

export const PREVIEW_TEXT_BYTES = 64 * 1024
export const PREVIEW_HEX_BYTES = 512

const TEXT_TYPES = /^(text\/|application\/(json|xml|javascript|x-sh|toml|yaml|x-yaml)|.*\+(json|xml)$)/

export function previewKind(type: string, name: string): Preview['kind'] {
  if (type === DIRECTORY_TYPE) return 'directory'
  if (type.startsWith('image/')) return 'image'
  if (TEXT_TYPES.test(type) || /\.(txt|md|json|csv|ts|js|html|css|xml|ya?ml|toml|log)$/i.test(name)) return 'text'
  return 'hex'
}

export function textPreview(head: Uint8Array, size: number, type: string): Preview {
  let text = new TextDecoder('utf-8', { fatal: false }).decode(head)
  if (type === 'application/json' && size <= head.byteLength) {
    try {
      text = JSON.stringify(JSON.parse(text), null, 2)
    } catch {
      // not valid JSON: show it as it is
    }
  }
  return { kind: 'text', text, truncated: size > head.byteLength }
}

export function hexPreview(head: Uint8Array, size: number): Preview {
  const lines: string[] = []
  for (let offset = 0; offset < head.byteLength; offset += 16) {
    const row = head.subarray(offset, offset + 16)
    const hex = [...row].map((b) => b.toString(16).padStart(2, '0')).join(' ')
    const ascii = [...row].map((b) => (b >= 0x20 && b < 0x7f ? String.fromCharCode(b) : '.')).join('')
    lines.push(`${offset.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`)
  }
  return { kind: 'hex', lines, truncated: size > head.byteLength }
}
