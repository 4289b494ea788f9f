import { describe, expect, it } from 'vitest'
import { formatShareLink, parseShareLink } from './share-link.ts'

const FROM =
  '/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWDwpvLKg3WjtpesWnDjMaSQerdkaCXSbqSWQsH5BSFhaz/p2p-circuit/webrtc/p2p/12D3KooWRm8J3iL796zPFi2EtGGtUJn58AG67gcqzMFHZnnsTzqD'
const LINK = {
  cid: 'bafkreifzjut3te2nhyekklss27nh3k72ysco7y32koao5eei66wof36n5e',
  name: 'hello world.txt',
  type: 'text/plain',
  size: 11,
  from: FROM,
  public: false,
}

describe('share links', () => {
  it('round-trips through a URL fragment', () => {
    const url = formatShareLink('http://127.0.0.1:8787/', LINK)
    expect(url.startsWith('http://127.0.0.1:8787/#share=1&cid=bafkrei')).toBe(true)
    expect(parseShareLink(url)).toEqual(LINK)
    expect(parseShareLink(new URL(url).hash)).toEqual(LINK)
  })

  it('says when the content is public, so gateways may be asked for it too', () => {
    const url = formatShareLink('http://127.0.0.1:8787/', { ...LINK, public: true })
    expect(url).toContain('&pub=1')
    expect(parseShareLink(url)).toEqual({ ...LINK, public: true })
    expect(formatShareLink('http://127.0.0.1:8787/', LINK)).not.toContain('pub=')
  })

  it('accepts the SHA-256 hex form and normalises it to the CID', () => {
    const hex = 'b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9'
    const url = formatShareLink('http://x', { ...LINK, cid: hex })
    expect(parseShareLink(url)?.cid).toBe(LINK.cid)
  })

  it('is not a share link without the share marker', () => {
    expect(parseShareLink('http://127.0.0.1:8787/#library')).toBeUndefined()
  })

  it('keeps path separators out of file names', () => {
    expect(parseShareLink(formatShareLink('http://x', { ...LINK, name: '../../etc/passwd' }))?.name).toBe('.._.._etc_passwd')
  })

  const broken: Array<[string, string]> = [
    ['a damaged CID', formatShareLink('http://x', { ...LINK, cid: 'bafkreiNOPE' })],
    ['a missing holder', 'http://x/#share=1&cid=' + LINK.cid + '&name=a&size=1'],
    ['a holder that is not WebRTC', formatShareLink('http://x', { ...LINK, from: '/ip4/1.2.3.4/tcp/1/ws' })],
    ['a negative size', formatShareLink('http://x', { ...LINK, size: -1 })],
    ['an unknown version', 'http://x/#share=9&cid=' + LINK.cid],
  ]
  for (const [label, url] of broken) {
    it(`refuses ${label}`, () => {
      expect(() => parseShareLink(url)).toThrowError(expect.objectContaining({ name: 'InvalidShareLinkError' }))
    })
  }
})
