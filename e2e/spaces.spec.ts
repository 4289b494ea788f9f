import { createSpace, invite, noteEditor as editor, noteTextOf, openSpaces, typeInNote } from './notes.ts'
import { addFile, didOf, downloadSha256, expect, openPerson, pseudoRandomBytes, sha256, test, type Person } from './fixtures.ts'

async function noteText(person: Person): Promise<string> {
  return await noteTextOf(person.page)
}

/** 'converged' when every note is the same and holds every piece; otherwise what each person has, for the failure message. */
async function converged(people: Person[], pieces: string[]): Promise<string> {
  const texts = await Promise.all(people.map(noteText))
  if (new Set(texts).size === 1 && pieces.every((t) => texts[0]?.includes(t))) return 'converged'
  const members = await Promise.all(people.map(async (p) => (await p.page.getByTestId('member').allInnerTexts()).join(' | ')))
  return JSON.stringify(people.map((p, i) => ({ who: p.name, text: texts[i], members: members[i] })))
}

/** Types at the end of one line of the note. */
async function typeOnLine(person: Person, line: number, text: string): Promise<void> {
  await editor(person.page).click()
  await person.page.keyboard.press('Control+Home')
  for (let i = 0; i < line; i++) await person.page.keyboard.press('ArrowDown')
  await person.page.keyboard.press('End')
  await person.page.keyboard.type(text, { delay: 15 })
}

async function setOffline(person: Person, offline: boolean): Promise<void> {
  const box = person.page.getByLabel('Work offline')
  if (offline) await box.check()
  else await box.uncheck()
  await expect(person.page.getByTestId('relay-state')).toHaveAttribute('data-state', offline ? /^(disconnected|none)$/ : 'connected', {
    timeout: 20_000,
  })
}

test('a space: invitations, three people editing at once, offline edits across reloads, and an outsider', async ({ browser, relay }) => {
  test.setTimeout(180_000)
  const [ann, bob, cy, dee] = (await Promise.all(['ann', 'bob', 'cy', 'dee'].map(async (n) => await openPerson(browser, relay, n)))) as [
    Person,
    Person,
    Person,
    Person,
  ]
  const everyone = [ann, bob, cy]

  await createSpace(ann, 'Garden plans')
  await expect(ann.page.getByAltText('Invitation QR code')).toHaveCount(0)

  // each invitation is opened as a link: it joins and shows the space
  const forBob = await invite(ann, 'read and write')
  await expect(ann.page.getByAltText('Invitation QR code')).toBeVisible()
  const forCy = await invite(ann, 'read and write')
  for (const [person, link] of [
    [bob, forBob],
    [cy, forCy],
  ] as const) {
    await person.page.goto(link)
    await expect(person.page.getByRole('heading', { name: 'Garden plans' })).toBeVisible({ timeout: 30_000 })
  }

  // Dee tries Bob's invitation: used, refused in words, and she has no space
  await dee.page.goto(forBob)
  await expect(dee.page.getByRole('alert')).toContainText('already been used', { timeout: 30_000 })
  await openSpaces(dee)
  await expect(dee.page.getByText('No spaces yet')).toBeVisible()

  // presence: Ann sees the two others here
  await expect(ann.page.getByTestId('presence')).toHaveCount(2, { timeout: 20_000 })

  // all three type at once, each on their own line (typing at one spot at once interleaves the letters, as it should)
  await typeInNote(ann, 'ann:\nbob:\ncy:')
  await expect.poll(async () => await converged(everyone, ['ann:\nbob:\ncy:'])).toBe('converged')
  await Promise.all(everyone.map(async (p, line) => await typeOnLine(p, line, ` [${p.name} was here] `)))
  await expect
    .poll(async () => await converged(everyone, ['[ann was here]', '[bob was here]', '[cy was here]']), { timeout: 30_000 })
    .toBe('converged')
  // and where: Cy typed on the third line
  await typeOnLine(cy, 2, '.')
  await expect(ann.page.getByTestId('presence').filter({ hasText: 'line 3' })).toHaveCount(1)

  // a private file Ann puts in the space reaches Bob in the background, verified, though he is not trusted
  await ann.page.getByRole('tab', { name: 'Library' }).click()
  await addFile(ann, 'plan.bin', 'application/octet-stream', pseudoRandomBytes(400_000, 5))
  await openSpaces(ann)
  await ann.page.getByLabel('Add a library file').selectOption({ label: 'plan.bin' })
  await expect(bob.page.getByTestId('space-file').filter({ hasText: 'plan.bin' })).toHaveAttribute('data-state', 'here', {
    timeout: 30_000,
  })
  expect(await downloadSha256(bob, 'plan.bin')).toBe(sha256(pseudoRandomBytes(400_000, 5)))
  await bob.page.getByRole('tab', { name: 'Library' }).click()
  await expect(bob.page.getByTestId('file-row').filter({ hasText: 'plan.bin' })).toBeVisible()
  await openSpaces(bob)

  // Ann and Bob go offline, edit, reload, and stay offline
  await setOffline(ann, true)
  await setOffline(bob, true)
  await typeInNote(ann, ' ann-offline-edit ')
  await typeInNote(bob, ' bob-offline-edit ')
  await expect(ann.page.getByTestId('member').filter({ hasText: 'changes not yet sent' }).first()).toBeVisible()
  for (const p of [ann, bob]) {
    // a reload opens where the person was: the space, its note, with nothing to click
    await p.page.reload()
    await expect(p.page.getByRole('tab', { name: 'Spaces' })).toHaveAttribute('aria-selected', 'true')
    await expect(editor(p.page)).toContainText(`${p.name}-offline-edit`, { timeout: 20_000 })
    await expect(p.page.getByLabel('Work offline')).toBeChecked()
  }
  expect(await noteText(cy)).not.toContain('offline-edit')

  // back online: everyone converges with every edit present
  await setOffline(ann, false)
  await setOffline(bob, false)
  await expect
    .poll(
      async () => await converged(everyone, ['ann-offline-edit', 'bob-offline-edit', '[cy was here]', '[ann was here]', '[bob was here]']),
      {
        timeout: 60_000,
      },
    )
    .toBe('converged')
  await expect(ann.page.getByTestId('member').filter({ hasText: 'in sync' })).toHaveCount(2, { timeout: 20_000 })

  // Ann takes the file out of the space: it goes from everyone's list, Bob's copy stays in his library
  await ann.page.getByRole('button', { name: 'Take plan.bin out of the space' }).click()
  await expect(cy.page.getByTestId('space-file')).toHaveCount(0, { timeout: 15_000 })
  await expect(bob.page.getByTestId('space-file')).toHaveCount(0, { timeout: 15_000 })

  // Dee, never invited, still has nothing of it
  await expect(dee.page.getByText('No spaces yet')).toBeVisible()
})

test('a space link: whom the privacy setting admits becomes a member and reads along, anyone else is refused', async ({
  browser,
  relay,
}) => {
  const [ann, bob, cy] = (await Promise.all(['ann', 'bob', 'cy'].map(async (n) => await openPerson(browser, relay, n)))) as [
    Person,
    Person,
    Person,
  ]
  const bobDid = await didOf(bob)
  await openSpaces(ann)
  await ann.page.getByLabel('New space name').fill('Reading room')
  await ann.page.getByLabel('Who may join the new space').selectOption({ label: 'Restricted: named DIDs' })
  await ann.page.getByLabel('DIDs allowed to join the new space').fill(bobDid)
  await ann.page.getByLabel('DIDs allowed to join the new space').blur()
  await ann.page.getByRole('button', { name: 'Create space' }).click()
  await expect(ann.page.getByRole('heading', { name: 'Reading room' })).toBeVisible()
  await typeInNote(ann, 'Welcome, readers.')
  await ann.page.getByRole('button', { name: 'Show the link for them' }).click()
  const link = await ann.page.getByRole('textbox', { name: 'Space link' }).inputValue()
  expect(link).toMatch(/#space=1&/)

  // Bob, named by the setting, reads along live, and cannot type
  await bob.page.goto(link)
  await expect(bob.page.getByRole('heading', { name: 'Reading room' })).toBeVisible({ timeout: 30_000 })
  await expect.poll(async () => await noteText(bob), { timeout: 15_000 }).toContain('Welcome, readers.')
  await expect(editor(bob.page)).toHaveAttribute('contenteditable', 'false')
  // and is told so, not left typing into nothing
  await expect(bob.page.getByTestId('read-only')).toContainText('Read only: the owner gave you read access')
  await expect(bob.page.getByText('You may read, not change, this space.')).toBeVisible()
  // the link made him a member: Ann sees him among the members, as a reader
  await expect(ann.page.locator(`[data-testid="member"][data-did="${bobDid}"]`)).toContainText('(read)')
  await typeInNote(ann, ' More to come.')
  await expect.poll(async () => await noteText(bob), { timeout: 15_000 }).toContain('More to come.')

  // Cy, not named, is refused and holds nothing
  await cy.page.goto(link)
  await expect(cy.page.getByRole('alert')).toContainText('does not admit you', { timeout: 30_000 })
  await openSpaces(cy)
  await expect(cy.page.getByRole('heading', { name: 'Reading room' })).toHaveCount(0)
})
