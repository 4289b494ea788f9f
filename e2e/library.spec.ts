import { addFile, expect, openPerson, test } from './fixtures.ts'

test('the library: picker and drag-and-drop, preview, survives a reload, delete', async ({ browser, relay }) => {
  const alice = await openPerson(browser, relay, 'alice')
  const { page } = alice

  const helloCid = await addFile(alice, 'hello.txt', 'text/plain', Buffer.from('hello world'))
  expect(helloCid).toBe('bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e')
  await expect(page.getByTestId('file-row').filter({ hasText: 'hello.txt' })).toContainText('sha256 b94d27…efcde9')

  // either form of the address finds the file
  await page.getByLabel('Look up by CID or SHA-256').fill('b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9')
  await page.getByRole('button', { name: 'Look up' }).click()
  await expect(page.getByRole('status')).toHaveText('Found: hello.txt')
  await expect(page.getByTestId('file-row').filter({ hasText: 'hello.txt' })).toHaveAttribute('aria-current', 'true')
  await page.getByLabel('Look up by CID or SHA-256').fill('not-a-cid')
  await page.getByRole('button', { name: 'Look up' }).click()
  await expect(page.getByRole('status')).toHaveText(
    'That is not a valid content ID (CIDv1, bafy… or bafk…) or SHA-256 hash (64 hex digits).',
  )

  // drag and drop, as from a file manager
  const dataTransfer = await page.evaluateHandle(() => {
    const dt = new DataTransfer()
    dt.items.add(new File(['{"dropped":true}'], 'dropped.json', { type: 'application/json' }))
    return dt
  })
  await page.getByTestId('drop-zone').dispatchEvent('drop', { dataTransfer })
  await expect(page.getByTestId('file-row').filter({ hasText: 'dropped.json' })).toBeVisible()

  await page.reload()
  await expect(page.getByTestId('file-row')).toHaveCount(2)
  await page.getByRole('button', { name: 'Preview dropped.json' }).click()
  await expect(page.getByTestId('preview-text')).toHaveText('{\n  "dropped": true\n}')
  await page.getByRole('button', { name: 'Close' }).click()

  await page.getByRole('button', { name: 'Delete hello.txt' }).click()
  await expect(page.getByTestId('file-row')).toHaveCount(1)
  await page.reload()
  await expect(page.getByTestId('file-row')).toHaveCount(1)
  await expect(page.getByTestId('file-row')).toContainText('dropped.json')
})

test('a damaged share link is refused in words, and nothing is fetched', async ({ browser, relay }) => {
  const bob = await openPerson(browser, relay, 'bob')
  await bob.page.getByLabel('Open a share link').fill(`${relay.url}#share=1&cid=bafkreiNOPE&name=x&size=1&from=/ip4/1.2.3.4`)
  await bob.page.getByRole('button', { name: 'Fetch' }).click()
  await expect(bob.page.getByRole('alert')).toHaveText('This share link is damaged or incomplete.')
  await expect(bob.page.getByTestId('transfer')).toHaveCount(0)
})

test('every action of a file is in sight from 1024 px wide, and sharing a private file says who can fetch it', async ({
  browser,
  relay,
}) => {
  const alice = await openPerson(browser, relay, 'alice')
  const { page } = alice
  await addFile(alice, 'a-rather-long-file-name-for-the-quarterly-report-draft.pdf', 'application/pdf', Buffer.from('%PDF-1.4 tiny'))
  for (const width of [1024, 1280, 1600]) {
    await page.setViewportSize({ width, height: 800 })
    // nothing scrolls sideways inside the table, and each button lies within the window
    const scroll = page.locator('.table-scroll')
    expect(await scroll.evaluate((el) => el.scrollWidth - el.clientWidth), `sideways scroll at ${width} px`).toBeLessThanOrEqual(0)
    for (const action of ['Preview', 'Download', 'Share', 'Delete']) {
      const box = await page.getByRole('button', { name: new RegExp(`^${action} a-rather-long`) }).boundingBox()
      expect(box, `${action} at ${width} px`).not.toBeNull()
      expect((box?.x ?? 0) + (box?.width ?? 0), `${action} at ${width} px`).toBeLessThanOrEqual(width)
    }
  }

  // private by default: the dialog says so, and offers to make the file public
  await page.getByRole('button', { name: /^Share a-rather-long/ }).click()
  await expect(page.getByTestId('share-audience')).toHaveText(
    'This file is private: only people you trust as trusted or more can fetch it with this link. Anyone else who opens it is told the file is not available.',
  )
  await page.getByRole('button', { name: 'Make it public, so anyone with the link can fetch it' }).click()
  await expect(page.getByTestId('share-audience')).toHaveAttribute('data-privacy', 'public')
  await expect(page.getByTestId('share-audience')).toHaveText(/^Anyone who opens this link can fetch the file/)
  await page.getByRole('button', { name: 'Close' }).click()
  await expect(page.getByLabel(/^Who may fetch a-rather-long/)).toHaveValue('public')
})
