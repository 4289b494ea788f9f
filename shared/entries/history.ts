import type { SignedEntry } from './entry.ts'

export interface VersionNode {
  entry: SignedEntry
  /** Later versions made from this one; two or more is a fork. */
  children: string[]
}

export interface VersionHistory {
  /** The first version: the end of the `prev` chain that is known here. */
  root: string
  /** The chain from the root to the entry asked about. */
  lineage: string[]
  /** Every known version descending from the root, by CID. */
  nodes: Map<string, VersionNode>
  /** Versions that have more than one successor. */
  forks: string[]
  /** A `prev` that points at an entry not known here. */
  missingPrev: string | undefined
}

/** Builds the version tree around `cid` from the entries known locally. */
export function versionHistory(entries: Iterable<SignedEntry>, cid: string): VersionHistory {
  const byCid = new Map<string, SignedEntry>()
  const children = new Map<string, string[]>()
  for (const e of entries) {
    byCid.set(e.cid, e)
    if (e.entry.prev !== undefined) children.set(e.entry.prev, [...(children.get(e.entry.prev) ?? []), e.cid])
  }
  const lineage: string[] = []
  const seen = new Set<string>()
  let missingPrev: string | undefined
  for (let at: string | undefined = cid; at !== undefined && !seen.has(at);) {
    const entry = byCid.get(at)
    if (entry === undefined) {
      missingPrev = lineage.length > 0 ? at : undefined
      break
    }
    seen.add(at)
    lineage.unshift(at)
    at = entry.entry.prev
  }
  const root = lineage[0] ?? cid
  const nodes = new Map<string, VersionNode>()
  const queue = [root]
  for (let at = queue.shift(); at !== undefined; at = queue.shift()) {
    const entry = byCid.get(at)
    if (entry === undefined || nodes.has(at)) continue
    const kids = (children.get(at) ?? []).slice().sort((a, b) => (byCid.get(a)?.entry.signedAt ?? 0) - (byCid.get(b)?.entry.signedAt ?? 0))
    nodes.set(at, { entry, children: kids })
    queue.push(...kids)
  }
  const forks = [...nodes].filter(([, n]) => n.children.length > 1).map(([c]) => c)
  return { root, lineage, nodes, forks, missingPrev }
}
