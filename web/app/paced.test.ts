import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest'
import { paced } from './paced.ts'

describe('paced progress', () => {
  beforeEach(() => {
    vi.useFakeTimers()
  })
  afterEach(() => {
    vi.useRealTimers()
  })

  it('delivers the first value at once and then the latest once per interval', () => {
    const seen: number[] = []
    const progress = paced((n: number) => seen.push(n), 100)
    progress.report(1)
    progress.report(2)
    progress.report(3)
    expect(seen).toEqual([1])
    vi.advanceTimersByTime(100)
    expect(seen).toEqual([1, 3])
    vi.advanceTimersByTime(100)
    expect(seen).toEqual([1, 3])
    progress.report(4)
    expect(seen).toEqual([1, 3, 4])
  })

  it('flush delivers what is held back and leaves no timer behind', () => {
    const seen: number[] = []
    const progress = paced((n: number) => seen.push(n), 100)
    progress.report(1)
    progress.report(2)
    progress.flush()
    expect(seen).toEqual([1, 2])
    expect(vi.getTimerCount()).toBe(0)
    progress.flush()
    expect(seen).toEqual([1, 2])
  })
})
