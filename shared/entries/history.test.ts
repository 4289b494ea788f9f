import { describe, expect, it } from 'vitest'
import { fromString } from 'uint8arrays'
import { identityFromSeed } from '../identity/did-key.ts'
import { createEntry } from './entry.ts'
import { versionHistory } from './history.ts'

const author = identityFromSeed(fromString('66'.repeat(32), 'base16'))
const CONTENT = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

describe('version history', () => {
  it('follows prev links back to the first version and shows forks plainly', async () => {
    const v1 = await createEntry(author, { type: 'document', content: CONTENT, title: 'v1' })
    const v2 = await createEntry(author, { type: 'document', content: CONTENT, title: 'v2', prev: v1.cid })
    const v3a = await createEntry(author, { type: 'document', content: CONTENT, title: 'v3a', prev: v2.cid })
    const v3b = await createEntry(author, { type: 'document', content: CONTENT, title: 'v3b', prev: v2.cid })
    const unrelated = await createEntry(author, { type: 'document', content: CONTENT, title: 'other' })

    const h = versionHistory([v3b, unrelated, v1, v3a, v2], v3a.cid)
    expect(h.root).toBe(v1.cid)
    expect(h.lineage).toEqual([v1.cid, v2.cid, v3a.cid])
    expect([...h.nodes.keys()].sort()).toEqual([v1.cid, v2.cid, v3a.cid, v3b.cid].sort())
    expect(h.forks).toEqual([v2.cid])
    expect(h.nodes.get(v2.cid)?.children.sort()).toEqual([v3a.cid, v3b.cid].sort())
    expect(h.missingPrev).toBeUndefined()
  })

  it('says when an earlier version is not known here', async () => {
    const v1 = await createEntry(author, { type: 'document', content: CONTENT, title: 'v1' })
    const v2 = await createEntry(author, { type: 'document', content: CONTENT, title: 'v2', prev: v1.cid })
    const h = versionHistory([v2], v2.cid)
    expect(h.lineage).toEqual([v2.cid])
    expect(h.missingPrev).toBe(v1.cid)
    expect(h.forks).toEqual([])
  })
})
