import { describe, expect, it } from 'vitest'
import { generateIdentity } from '../identity/did-key.ts'
import { signJwt } from '../identity/jws.ts'
import { createInvitation, INVITE_KIND, verifyInvitation } from './invitation.ts'
import { createGrant, supersedes, verifyGrant } from './membership.ts'
import { newSpaceId } from './space-id.ts'
import { formatInviteLink, InvalidInviteLinkError, parseInviteLink } from '../protocol/invite-link.ts'
import { flipSignatureBit, replaceInPayload } from '../testing/tamper.ts'
import { formatSpaceLink, InvalidSpaceLinkError, parseSpaceLink } from '../protocol/space-link.ts'

const owner = generateIdentity()
const space = newSpaceId()

async function reasonOf(promise: Promise<unknown>): Promise<string> {
  try {
    await promise
  } catch (err) {
    return (err as { reason?: string; name: string }).reason ?? (err as Error).name
  }
  return 'accepted'
}

describe('invitations', () => {
  it('an honest invitation verifies and says what it grants', async () => {
    const jws = await createInvitation(owner, { space, name: 'Garden plans', role: 'write', ttlSeconds: 60 })
    const invitation = await verifyInvitation(jws)
    expect(invitation).toMatchObject({ inviter: owner.did, space, name: 'Garden plans', role: 'write' })
    expect(invitation.id).toMatch(/^[a-z2-7]+$/)
  })

  it('forged, expired and malformed invitations are refused, each with its reason', async () => {
    const jws = await createInvitation(owner, { space, name: 'x', role: 'read', ttlSeconds: 60 })
    const [h, p] = jws.split('.') as [string, string, string]
    expect(await reasonOf(verifyInvitation(flipSignatureBit(jws)))).toBe('forged')
    // a valid signature by someone else over a claim naming the owner
    const other = generateIdentity()
    const otherSigned = await createInvitation(other, { space, name: 'x', role: 'write' })
    const [, otherPayload, otherSig] = otherSigned.split('.') as [string, string, string]
    // the owner's claims raised from read to write: the signature no longer matches
    expect(await reasonOf(verifyInvitation(replaceInPayload(jws, '"role":"read"', '"role":"write"')))).toBe('forged')
    expect(await reasonOf(verifyInvitation(`${h}.${otherPayload}.${otherSig}`))).toBe('accepted')
    expect(await reasonOf(verifyInvitation(`${h}.${p}.${otherSig}`))).toBe('forged')
    const old = await createInvitation(owner, { space, name: 'x', role: 'read', ttlSeconds: 60 }, Math.floor(Date.now() / 1000) - 3600)
    expect(await reasonOf(verifyInvitation(old))).toBe('expired')
    expect(await reasonOf(verifyInvitation('not a token'))).toBe('malformed')
    const wrongKind = await signJwt(owner, { kind: 'cas-disot/entry', v: 1, space, role: 'read', name: 'x', jti: 'a', exp: 2e9 })
    expect(await reasonOf(verifyInvitation(wrongKind))).toBe('malformed')
    const badRole = await signJwt(owner, { kind: INVITE_KIND, v: 1, space, role: 'admin', name: 'x', jti: 'a', exp: 2e9 })
    expect(await reasonOf(verifyInvitation(badRole))).toBe('malformed')
  })

  it('links carry the invitation and a WebRTC address, and damaged ones are refused', async () => {
    const jws = await createInvitation(owner, { space, name: 'x', role: 'read' })
    const from =
      '/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWGzVvqM7yjBQkPmFHZbgWp1sH8pC6AKGzHpnt3eV2HZFf/p2p-circuit/webrtc/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'
    const link = formatInviteLink('http://127.0.0.1:8787/', { invitation: jws, from })
    expect(link.startsWith('http://127.0.0.1:8787/#invite=1&')).toBe(true)
    expect(parseInviteLink(link)).toEqual({ invitation: jws, from })
    expect(parseInviteLink('http://x/#share=1')).toBeUndefined()
    expect(() => parseInviteLink(link.replace('invite=1', 'invite=2'))).toThrow(InvalidInviteLinkError)
    expect(() => parseInviteLink(link.replace(/jws=[^&]+/, 'jws=garbage'))).toThrow(InvalidInviteLinkError)
    expect(() => parseInviteLink(link.replace(/from=[^&]+/, 'from=%2Fip4%2F1.2.3.4%2Ftcp%2F1'))).toThrow(InvalidInviteLinkError)
  })
})

describe('space links', () => {
  it('carry the space, its owner and address, and damaged ones are refused', () => {
    const from =
      '/ip4/127.0.0.1/tcp/8787/ws/p2p/12D3KooWGzVvqM7yjBQkPmFHZbgWp1sH8pC6AKGzHpnt3eV2HZFf/p2p-circuit/webrtc/p2p/12D3KooWRBy97UB99e3J6hiPesre1MZeuNQvfan4gBziswrRJsNK'
    const link = formatSpaceLink('http://127.0.0.1:8787/', { space, name: 'Garden & co', owner: owner.did, from })
    expect(parseSpaceLink(link)).toEqual({ space, name: 'Garden & co', owner: owner.did, from })
    expect(parseSpaceLink(formatInviteLink('http://x/', { invitation: 'a.b.c', from }))).toBeUndefined()
    for (const broken of [
      link.replace('space=1', 'space=2'),
      link.replace(/id=[^&]+/, 'id=short'),
      link.replace(/owner=[^&]+/, 'owner=did%3Aweb%3Aexample.com'),
      link.replace(/from=[^&]+/, 'from=%2Fip4%2F1.2.3.4%2Ftcp%2F1'),
    ])
      expect(() => parseSpaceLink(broken)).toThrow(InvalidSpaceLinkError)
  })
})

describe('membership grants', () => {
  it('verify against the owner and the space, and nothing else', async () => {
    const member = generateIdentity()
    const grant = await createGrant(owner, space, { member: member.did, role: 'write' })
    expect(await verifyGrant(grant, { owner: owner.did, space })).toMatchObject({ member: member.did, role: 'write' })
    expect(await reasonOf(verifyGrant(grant, { owner: member.did, space }))).toBe('InvalidGrantError')
    expect(await reasonOf(verifyGrant(grant, { owner: owner.did, space: newSpaceId() }))).toBe('InvalidGrantError')
    const selfGranted = await createGrant(member, space, { member: member.did, role: 'write' })
    expect(await reasonOf(verifyGrant(selfGranted, { owner: owner.did, space }))).toBe('InvalidGrantError')
    expect(await reasonOf(verifyGrant(flipSignatureBit(grant), { owner: owner.did, space }))).toBe('InvalidGrantError')
  })

  it('are ordered: a removal, even in the same second, supersedes the grant before it, and a replayed grant does not', async () => {
    const member = generateIdentity()
    const jws = await createGrant(owner, space, { member: member.did, role: 'write' })
    const granted = { jws, grant: await verifyGrant(jws, { owner: owner.did, space }) }
    const removalJws = await createGrant(owner, space, { member: member.did, role: 'removed' }, granted.grant)
    const removed = { jws: removalJws, grant: await verifyGrant(removalJws, { owner: owner.did, space }) }
    expect(removed.grant.issuedAt).toBeGreaterThan(granted.grant.issuedAt)
    expect(supersedes(removed, granted)).toBe(true)
    expect(supersedes(granted, removed)).toBe(false)
    // forced into one second, the removal still wins, whichever way round
    const sameSecond = { ...granted, grant: { ...granted.grant, issuedAt: removed.grant.issuedAt } }
    expect(supersedes(removed, sameSecond)).toBe(true)
    expect(supersedes(sameSecond, removed)).toBe(false)
  })
})
