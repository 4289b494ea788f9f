import { describe, expect, it } from 'vitest'
import { flipBase64Bit, flipBase64urlBit, flipSignatureBit, NothingTamperedError, replaceInPayload } from './tamper.ts'

describe('tamper helpers', () => {
  const jws = 'eyJhbGciOiJFZERTQSJ9.eyJ0aXRsZSI6IkRvYyJ9.QUFBQUFBQUFBQUFBQUFBQQ'

  it('always change what they say they change', () => {
    // every byte value: a flip is never a no-op, even where the text already held 'A'
    for (let i = 0; i < 12; i++) expect(flipBase64urlBit('QUFBQUFBQUFBQUFB', i)).not.toBe('QUFBQUFBQUFBQUFB')
    expect(flipBase64Bit('AAAA', 0)).toBe('AQAA')
    expect(flipBase64Bit('AA==', 0)).toBe('AQ==')
    expect(flipSignatureBit(jws).split('.').slice(0, 2)).toEqual(jws.split('.').slice(0, 2))
    expect(flipSignatureBit(jws)).not.toBe(jws)
    expect(replaceInPayload(jws, '"Doc"', '"Dog"').split('.')[1]).toBe('eyJ0aXRsZSI6IkRvZyJ9')
  })

  it('refuse a change that would change nothing', () => {
    expect(() => replaceInPayload(jws, '"Absent"', '"x"')).toThrow(NothingTamperedError)
    expect(() => replaceInPayload(jws, '"Doc"', '"Doc"')).toThrow(NothingTamperedError)
    expect(() => flipBase64urlBit('QUFB', 3)).toThrow(NothingTamperedError)
  })
})
