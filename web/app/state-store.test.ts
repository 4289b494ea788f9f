import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { NOTIFY_AFTER_MS, StateStore } from './state-store.ts'

describe('the app state store', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('shows each change to reads at once and tells listeners once per frame', () => {
    const store = new StateStore(0)
    const heard: number[] = []
    store.subscribe(() => heard.push(store.get()))
    store.set((n) => n + 1)
    store.set((n) => n + 1)
    store.set((n) => n + 1)
    expect(store.get()).toBe(3)
    expect(heard).toEqual([])
    vi.advanceTimersByTime(NOTIFY_AFTER_MS)
    expect(heard).toEqual([3])
    // a later change is heard in the next frame, not lost
    store.set((n) => n * 10)
    vi.advanceTimersByTime(NOTIFY_AFTER_MS)
    expect(heard).toEqual([3, 30])
  })

  it('stops telling a listener once it unsubscribes', () => {
    const store = new StateStore('a')
    const heard: string[] = []
    const unsubscribe = store.subscribe(() => heard.push(store.get()))
    store.set(() => 'b')
    unsubscribe()
    vi.advanceTimersByTime(NOTIFY_AFTER_MS)
    expect(heard).toEqual([])
    expect(store.get()).toBe('b')
  })
})
