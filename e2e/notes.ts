import type { Page } from '@playwright/test'

/** The editable text of the open note (CodeMirror). */
export const noteEditor = (page: Page) => page.locator('[data-testid="note-editor"] .cm-content')

/** The note's text as written: other people's cursors and name tags are not part of it. */
export async function noteTextOf(page: Page): Promise<string> {
  return await noteEditor(page).evaluate((content) => {
    const copy = content.cloneNode(true) as HTMLElement
    copy.querySelectorAll('.cm-ySelectionCaret').forEach((caret) => caret.remove())
    return [...copy.querySelectorAll('.cm-line')].map((line) => (line.textContent ?? '').replace(/\u2060/g, '')).join('\n')
  })
}
