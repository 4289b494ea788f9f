import 'fake-indexeddb/auto'
import { describe, expect, it } from 'vitest'
import { openAppDb } from './app-db.ts'
import { loadView, saveView } from './settings.ts'

let n = 0
const freshDb = async () => await openAppDb(`settings-test-${n++}`)

describe('the view the app opens in', () => {
  it('is none until saved, then what was saved', async () => {
    const db = await freshDb()
    expect(await loadView(db)).toBeUndefined()
    await saveView(db, { tab: 'spaces', space: 'space-1' })
    expect(await loadView(db)).toEqual({ tab: 'spaces', space: 'space-1' })
    await saveView(db, { tab: 'library' })
    expect(await loadView(db)).toEqual({ tab: 'library' })
  })

  // a damaged setting costs only the place the app opens at, never the start
  for (const [label, stored] of [
    ['text that is not JSON', '{"tab":'],
    ['JSON null', 'null'],
    ['a tab that is not text', '{"tab":3}'],
    ['a space that is not text', '{"tab":"spaces","space":{}}'],
    ['bytes instead of text', new Uint8Array([1, 2])],
  ] as const) {
    it(`is none when the stored value is ${label}`, async () => {
      const db = await freshDb()
      await db.put('settings', stored, 'view')
      expect(await loadView(db)).toBeUndefined()
    })
  }
})
