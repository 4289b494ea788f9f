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
  await expect(page.getByRole('status')).toHaveText('That is not a valid content ID or SHA-256 hash.')

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
