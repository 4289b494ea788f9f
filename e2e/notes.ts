import { expect, type Page } from '@playwright/test'
import type { Person } from './fixtures.ts'

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

/** Types at the end of the note. */
export async function typeInNote(person: Person, text: string): Promise<void> {
  await noteEditor(person.page).click()
  await person.page.keyboard.press('Control+End')
  await person.page.keyboard.type(text, { delay: 15 })
}

export async function invite(owner: Person, role: 'read and write' | 'read only'): Promise<string> {
  const page = owner.page
  await page.getByLabel('Invitee may').selectOption({ label: role })
  await page.getByRole('button', { name: 'Create invitation' }).click()
  const field = page.getByRole('textbox', { name: 'Invitation link' }).last()
  await expect(field).toHaveValue(/#invite=1&/)
  return await field.inputValue()
}

export async function openSpaces(person: Person): Promise<void> {
  await person.page.getByRole('tab', { name: 'Spaces' }).click()
}

/** Creates a space with the default settings; it opens at once. */
export async function createSpace(person: Person, name: string): Promise<void> {
  await openSpaces(person)
  await person.page.getByLabel('New space name').fill(name)
  await person.page.getByRole('button', { name: 'Create space' }).click()
  await expect(person.page.getByRole('heading', { name })).toBeVisible()
}
