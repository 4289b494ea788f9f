import { describe, expect, it } from 'vitest'
import { parseContentLink } from './content-link.ts'

const CID = 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e'

describe('content links', () => {
  it('reads ipfs://, path and subdomain gateway URLs and bare CIDs, root CID only', () => {
    expect(parseContentLink(`ipfs://${CID}`)).toEqual({ cid: CID, name: undefined })
    expect(parseContentLink(`ipfs://${CID}/some/path`)).toEqual({ cid: CID, name: undefined })
    expect(parseContentLink(`http://127.0.0.1:8787/ipfs/${CID}?filename=hello.txt`)).toEqual({ cid: CID, name: 'hello.txt' })
    expect(parseContentLink(`https://${CID}.ipfs.dweb.example/`)).toEqual({ cid: CID, name: undefined })
    expect(parseContentLink(`  ${CID}  `)).toEqual({ cid: CID, name: undefined })
  })

  it('is undefined for anything else', () => {
    for (const text of [
      '',
      'hello',
      'ipfs://',
      'ipfs://not-a-cid',
      'https://example.org/',
      'https://example.org/ipfs/nope',
      'http://[bad',
    ]) {
      expect(parseContentLink(text), text).toBeUndefined()
    }
  })
})
