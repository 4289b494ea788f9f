import type { Page } from '@playwright/test'
import { expect, openPerson } from '../e2e/fixtures.ts'
import { createSpace, noteEditor } from '../e2e/notes.ts'
import { figure, type Figure } from './results.ts'
import type { BenchContext } from './run.ts'
import { openPersistentReference, referencePeers, referenceScript, serveReferencePage, startSignaling } from './y-webrtc.ts'

const EDITS = Number(process.env.BENCH_NOTE_EDITS ?? 20_000)
const EDIT = '0123456789'
const LENGTH = EDITS * EDIT.length
const ROUNDS = Number(process.env.BENCH_NOTE_ROUNDS ?? 5)

/**
 * Marks, from navigation start, when the page's note editor first holds the
 * whole note (read from CodeMirror's own state: its DOM shows only what is in view).
 */
export const SHOWN_MARK = `
  const timer = setInterval(() => {
    const view = document.querySelector('[data-testid="note-editor"] .cm-content')?.cmTile?.root?.view
    if (view !== undefined && view.state.doc.length >= ${LENGTH}) {
      window.benchShownAt = performance.now()
      clearInterval(timer)
    }
  }, 5)
`

export async function shownAt(page: Page): Promise<number> {
  const timeout = 300_000
  await page
    .waitForFunction(() => 'benchShownAt' in window, undefined, { timeout, polling: 50 })
    .catch(async (err: unknown) => {
      const shown = await page.evaluate(() => {
        type Content = { cmTile?: { root?: { view?: { state: { doc: { length: number } } } } } }
        return (document.querySelector('[data-testid="note-editor"] .cm-content') as unknown as Content | null)?.cmTile?.root?.view?.state
          .doc.length
      })
      throw new Error(`${page.url()} never showed the whole note: ${shown ?? 'no editor'} of ${LENGTH} characters`, { cause: err })
    })
  return await page.evaluate(() => (window as unknown as { benchShownAt: number }).benchShownAt)
}

/** Types the note as EDITS separate edits at its end, through the editor, as a person's keystrokes would arrive. */
export async function buildNote(page: Page): Promise<void> {
  await noteEditor(page).waitFor()
  await page.evaluate(
    async ([edits, text]) => {
      type View = { state: { doc: { length: number } }; dispatch: (tr: unknown) => void }
      const content = document.querySelector('[data-testid="note-editor"] .cm-content') as unknown as { cmTile: { root: { view: View } } }
      const view = content.cmTile.root.view
      for (let i = 0; i < edits; i++) {
        view.dispatch({ changes: { from: view.state.doc.length, insert: text } })
        // let the page's own work (storage, sending) keep up, as it would between keystrokes
        if (i % 200 === 199) await new Promise((resolve) => setTimeout(resolve, 0))
      }
      if (view.state.doc.length < edits * (text as string).length)
        throw new Error(`the note holds ${view.state.doc.length} characters after the edits`)
    },
    [EDITS, EDIT] as const,
  )
  // kept: y-indexeddb merges its stored updates into one a second after the last edit,
  // so once every store of the page holds a few records at most, the whole note is in it
  await expect
    .poll(
      async () =>
        await page.evaluate(async () => {
          let most = 0
          for (const { name } of await indexedDB.databases()) {
            if (name === undefined) continue
            const db = await new Promise<IDBDatabase>((resolve, reject) => {
              const request = indexedDB.open(name)
              request.onsuccess = () => resolve(request.result)
              request.onerror = () => reject(request.error ?? new Error(`could not open ${name}`))
            })
            if (db.objectStoreNames.contains('updates'))
              most = Math.max(
                most,
                await new Promise<number>((resolve, reject) => {
                  const count = db.transaction('updates').objectStore('updates').count()
                  count.onsuccess = () => resolve(count.result)
                  count.onerror = () => reject(count.error ?? new Error('count failed'))
                }),
              )
            db.close()
          }
          return most
        }),
      { timeout: 120_000 },
    )
    .toBeLessThanOrEqual(5)
}

/** One side of the comparison, its note built: each call is one round, so the two sides' rounds take turns. */
interface NoteSide {
  /** The builder's page reloaded → the whole note shown (ms from navigation). */
  reopen(): Promise<number>
  /** A new member's (a new page's) load → the whole note shown (ms from navigation). */
  join(): Promise<number>
  close(): Promise<void>
}

/** The app: Ann builds the note in a space; she reloads it; new members join by invitation. */
async function appSide(ctx: BenchContext): Promise<NoteSide> {
  const [browser, relay] = [await ctx.browser(), await ctx.relay()]
  const ann = await openPerson(browser, relay, 'ann')
  await createSpace(ann, 'Bench')
  await buildNote(ann.page)
  await ann.page.context().addInitScript(SHOWN_MARK)
  return {
    async reopen() {
      // the app opens where Ann was: in the space, at its note
      await ann.page.reload()
      return await shownAt(ann.page)
    },
    async join() {
      // an invitation carries Ann's address: she is reachable once the relay holds her reservation
      await expect(ann.page.getByTestId('share-address')).toHaveAttribute('data-live', 'true', { timeout: 20_000 })
      await ann.page.getByRole('button', { name: 'Create invitation' }).click()
      const link = await ann.page.getByRole('textbox', { name: 'Invitation link' }).last().inputValue()
      // each new member joins alone: the one before has left, so no round runs beside its page
      const context = await browser.newContext()
      try {
        await context.addInitScript(SHOWN_MARK)
        const page = await context.newPage()
        await page.goto(link)
        return await shownAt(page)
      } finally {
        await context.close()
      }
    },
    close: async () => await ann.page.context().close(),
  }
}

/** The reference: the same note built the same way in a y-webrtc page kept by y-indexeddb; reloaded; new pages join its room. */
async function referenceSide(ctx: BenchContext): Promise<NoteSide> {
  const browser = await ctx.browser()
  const signaling = await startSignaling()
  const server = await serveReferencePage(await referenceScript())
  const room = `bench-note-${Date.now()}`
  const context = await browser.newContext()
  const close = async (): Promise<void> => {
    await context.close()
    signaling.stop()
    server.stop()
  }
  try {
    const builder = await openPersistentReference(context, server.url, { room, signaling: signaling.url, name: 'ann' })
    await buildNote(builder)
    await context.addInitScript(SHOWN_MARK)
    let joined = 0
    return {
      async reopen() {
        await builder.reload()
        return await shownAt(builder)
      },
      async join() {
        const joining = await browser.newContext()
        try {
          await joining.addInitScript(SHOWN_MARK)
          const page = await openPersistentReference(joining, server.url, { room, signaling: signaling.url, name: `new-${joined++}` })
          const shown = await shownAt(page)
          await expect.poll(async () => await referencePeers(page)).toBeGreaterThan(0)
          return shown
        } finally {
          await joining.close()
        }
      },
      close,
    }
  } catch (err) {
    await close()
    throw err
  }
}

/** A note of 200 000 characters made by 20 000 edits: opened from IndexedDB, and synced to a new member, against y-webrtc + y-indexeddb. */
export async function bigNoteFigures(ctx: BenchContext): Promise<Figure[]> {
  const app = { open: [] as number[], join: [] as number[] }
  const reference = { open: [] as number[], join: [] as number[] }
  const appNote = await appSide(ctx)
  let referenceNote: NoteSide | undefined
  try {
    const other = (referenceNote = await referenceSide(ctx))
    // the two sides take turns, round by round: each ratio compares rounds run a moment apart
    const turns = async (what: 'open' | 'join', run: (side: NoteSide) => Promise<number>): Promise<void> => {
      for (let r = 0; r < ROUNDS; r++) {
        app[what].push(await run(appNote))
        reference[what].push(await run(other))
        console.log(`  ${what} round ${r + 1}: app ${app[what].at(-1)?.toFixed(0)} ms, y-webrtc ${reference[what].at(-1)?.toFixed(0)} ms`)
      }
    }
    await turns('open', async (side) => await side.reopen())
    await turns('join', async (side) => await side.join())
  } finally {
    await appNote.close()
    await referenceNote?.close()
  }
  const chars = `${(LENGTH / 1000).toFixed(0)} 000 characters from ${(EDITS / 1000).toFixed(0)} 000 edits`
  return [
    figure('big-note', `a note of ${chars}: page load → shown, from IndexedDB`, 'ms', 'lower', app.open, {
      reference: { name: 'y-webrtc + y-indexeddb, same editor binding', samples: reference.open },
      paired: true,
      goal: 1.2,
    }),
    figure('big-note', `a note of ${chars}: a new member's page load → shown`, 'ms', 'lower', app.join, {
      reference: { name: 'y-webrtc, a new page joining the room', samples: reference.join },
      paired: true,
      goal: 1.2,
    }),
  ]
}
