import { describe, expect, it } from 'vitest'
import { AppUpdates, NoUpdateError } from './app-updates.ts'

describe('app updates', () => {
  it('takes a new version only once one is offered, and only after the app has saved', async () => {
    const updates = new AppUpdates()
    const steps: string[] = []
    updates.applyWith(async () => {
      steps.push('reload')
      await Promise.resolve()
    })
    const save = async (): Promise<void> => {
      steps.push('save')
      await Promise.resolve()
    }
    await expect(updates.apply(save)).rejects.toBeInstanceOf(NoUpdateError)
    expect(steps).toEqual([])

    let changes = 0
    updates.on('change', () => changes++)
    updates.offer()
    expect(updates.view()).toEqual({ ready: true, offlineReady: false })
    expect(changes).toBe(1)
    await updates.apply(save)
    expect(steps).toEqual(['save', 'reload'])
  })

  it('does not reload when saving fails', async () => {
    const updates = new AppUpdates()
    const steps: string[] = []
    updates.applyWith(async () => {
      steps.push('reload')
      await Promise.resolve()
    })
    updates.offer()
    await expect(updates.apply(async () => await Promise.reject(new Error('disk full')))).rejects.toThrow('disk full')
    expect(steps).toEqual([])
  })
})
