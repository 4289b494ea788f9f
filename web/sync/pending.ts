import * as Y from 'yjs'

/** What a member told us it holds. */
export interface Holding {
  vector: Map<number, number>
  /** Its deletions, when it sent a snapshot; unknown otherwise (then none are counted). */
  deletions?: Y.Snapshot['ds']
}

/**
 * How many changes I hold that a member's copy lacks: items it does not have
 * (Yjs clock ticks: characters, map sets) plus deletions of items it has that
 * it has not seen (characters). Deletions do not move a state vector, so
 * without the member's delete set a delete-only edit would look sent.
 */
export function unconfirmedChanges(mine: Y.Snapshot, theirs: Holding): number {
  let count = 0
  for (const [client, clock] of mine.sv) count += Math.max(0, clock - (theirs.vector.get(client) ?? 0))
  if (theirs.deletions === undefined) return count
  for (const [client, ranges] of mine.ds.clients) {
    const held = theirs.vector.get(client) ?? 0
    // a peer's delete set is not trusted to be sorted or free of overlaps
    const seen = joined((theirs.deletions.clients.get(client) ?? []).map((r): [number, number] => [r.clock, r.clock + r.len]))
    for (const { clock, len } of ranges) {
      const end = Math.min(clock + len, held)
      if (end > clock) count += end - clock - covered(seen, clock, end)
    }
  }
  return count
}

function covered(ranges: Array<[number, number]>, from: number, to: number): number {
  let total = 0
  for (const [a, b] of ranges) {
    if (a >= to) break
    total += Math.max(0, Math.min(b, to) - Math.max(a, from))
  }
  return total
}

/**
 * How many changes a member holds that my copy lacks (Yjs clock ticks), from
 * the state vector it last sent: what catching up with it still has to bring.
 * Deletions are not counted (its vector does not show them).
 */
export function missingChanges(mine: Y.Snapshot, theirs: Map<number, number>): number {
  let count = 0
  for (const [client, clock] of theirs) count += Math.max(0, clock - (mine.sv.get(client) ?? 0))
  return count
}

/**
 * What a member has sent us since it last told us what it holds: it holds
 * what it sends. Item ranges by client ([from, to) clocks) and deletions.
 */
export interface Shown {
  items: Map<number, Array<[number, number]>>
  deletions: Y.Snapshot['ds']
}

export function nothingShown(): Shown {
  return { items: new Map(), deletions: Y.createDeleteSet() }
}

/** Ranges kept per client before they are sorted and joined: changes sent out of order stay a short list. */
const MAX_SHOWN_RANGES = 64

/** Adds a decoded update the member sent to what it has shown (ranges that touch are joined, so typing keeps one per client). */
export function addShown(shown: Shown, update: ReturnType<typeof Y.decodeUpdate>): void {
  for (const struct of update.structs) {
    // a skip is a gap in the update, not something the member holds
    if (struct instanceof Y.Skip) continue
    const { client, clock } = struct.id
    let ranges = shown.items.get(client) ?? []
    const last = ranges.at(-1)
    if (last !== undefined && last[1] === clock) last[1] = clock + struct.length
    else ranges.push([clock, clock + struct.length])
    if (ranges.length > MAX_SHOWN_RANGES) ranges = joined(ranges)
    shown.items.set(client, ranges)
  }
  if (update.ds.clients.size > 0) shown.deletions = Y.mergeDeleteSets([shown.deletions, update.ds])
}

/** The same clocks as sorted [from, to) ranges, those that overlap or touch made one. */
function joined(ranges: ReadonlyArray<readonly [number, number]>): Array<[number, number]> {
  const out: Array<[number, number]> = []
  for (const [from, to] of [...ranges].sort((x, y) => x[0] - y[0])) {
    const last = out.at(-1)
    if (last !== undefined && from <= last[1]) last[1] = Math.max(last[1], to)
    else out.push([from, to])
  }
  return out
}

/**
 * A member's holding as it told us, with what it has sent since: a range
 * extends its vector where it starts within it (a vector means every clock
 * below it is held, so a range beyond a gap does not), and its deletions join
 * the member's, when its deletions are known at all.
 */
export function withShown(told: Holding, shown: Shown): Holding {
  if (shown.items.size === 0 && shown.deletions.clients.size === 0) return told
  const vector = new Map(told.vector)
  for (const [client, ranges] of shown.items) {
    let held = vector.get(client) ?? 0
    for (const [from, to] of joined(ranges)) if (from <= held) held = Math.max(held, to)
    vector.set(client, held)
  }
  return { vector, deletions: told.deletions === undefined ? undefined : Y.mergeDeleteSets([told.deletions, shown.deletions]) }
}
