import { describe, expect, it } from 'vitest'
import { formatDate, formatTime } from './format.ts'

describe('dates and times as the app shows them', () => {
  it('in local time, each field two digits and the year four', () => {
    const at = new Date(2026, 11, 5, 9, 4, 7).getTime()
    expect(formatDate(at)).toBe('2026-12-05 09:04:07')
    expect(formatTime(at)).toBe('09:04:07')
    expect(formatTime(new Date(2026, 0, 31, 23, 59, 59).getTime())).toBe('23:59:59')
  })
})
