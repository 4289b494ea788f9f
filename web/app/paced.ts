/** How often progress reaches the UI: ten times a second looks smooth and re-renders little. */
export const PROGRESS_INTERVAL_MS = 100

export interface Paced<T> {
  report(value: T): void
  /** Delivers the value still held back at once, and stops the timer. */
  flush(): void
}

/**
 * Passes on at most one value per interval: the first at once, then the
 * latest of each interval at its end. A file arrives or is added block by
 * block (128 blocks for 32 MiB), and each delivery re-renders what shows it;
 * per block, rendering took a sixth of the receiving page's main thread in
 * a profile of a 32 MiB transfer.
 */
export function paced<T>(deliver: (value: T) => void, intervalMs = PROGRESS_INTERVAL_MS): Paced<T> {
  let held: { value: T } | undefined
  let timer: ReturnType<typeof setTimeout> | undefined
  const tick = (): void => {
    timer = undefined
    if (held === undefined) return
    const { value } = held
    held = undefined
    deliver(value)
    timer = setTimeout(tick, intervalMs)
  }
  return {
    report(value) {
      held = { value }
      if (timer === undefined) tick()
    },
    flush() {
      if (timer !== undefined) clearTimeout(timer)
      tick()
      if (timer !== undefined) clearTimeout(timer)
      timer = undefined
    },
  }
}
