import { describe, expect, it } from 'vitest'
import * as Y from 'yjs'
import { generateIdentity } from '../../../shared/identity/did-key.ts'
import { createGrant } from '../../../shared/spaces/membership.ts'
import { newSpaceId } from '../../../shared/spaces/space-id.ts'
import type { Privacy } from '../../../shared/trust/privacy.ts'
import { MemberPolicy } from './member-policy.ts'

const owner = generateIdentity()
const [bob, cy] = [generateIdentity(), generateIdentity()]
const space = newSpaceId()

function policyOver(init: { known?: Record<string, string>; privacy?: Privacy } = {}) {
  const doc = new Y.Doc()
  const grants = doc.getMap<string>('members')
  const saved: Record<string, string>[] = []
  const policy = new MemberPolicy({
    spaceId: space,
    owner: owner.did,
    grants,
    known: init.known ?? {},
    privacy: () => init.privacy,
    trustLevelOf: () => 80,
  })
  policy.on('learn', (known) => saved.push(known))
  return { grants, policy, saved }
}

describe('member policy', () => {
  it('a grant deleted from the document still counts, and is listed to be put back', async () => {
    const { grants, policy, saved } = policyOver()
    const jws = await createGrant(owner, space, { member: bob.did, role: 'write' })
    grants.set(bob.did, jws)
    await policy.settled()
    expect(policy.canWrite(bob.did)).toBe(true)
    expect(saved.at(-1)).toEqual({ [bob.did]: jws })

    grants.delete(bob.did)
    expect(policy.canWrite(bob.did)).toBe(true)
    expect(policy.repairs()).toEqual([[bob.did, jws]])
    grants.set(bob.did, jws)
    expect(policy.repairs()).toEqual([])
  })

  it('a removal outlives a replay of the grant before it; a later grant brings the member back', async () => {
    const { grants, policy } = policyOver()
    const first = await createGrant(owner, space, { member: bob.did, role: 'write' })
    await policy.learn(first)
    const removal = await createGrant(owner, space, { member: bob.did, role: 'removed' }, policy.grantOf(bob.did))
    grants.set(bob.did, removal)
    await policy.settled()
    expect(policy.canRead(bob.did)).toBe(false)

    grants.set(bob.did, first)
    await policy.settled()
    expect(policy.canRead(bob.did)).toBe(false)
    expect(policy.members().has(bob.did)).toBe(false)
    expect(policy.repairs()).toEqual([[bob.did, removal]])

    const again = await createGrant(owner, space, { member: bob.did, role: 'read' }, policy.grantOf(bob.did))
    grants.set(bob.did, again)
    await policy.settled()
    expect(policy.canRead(bob.did)).toBe(true)
    expect(policy.canWrite(bob.did)).toBe(false)
  })

  it('grants not signed by the owner, or filed under another DID, admit nobody', async () => {
    const { grants, policy } = policyOver()
    grants.set(cy.did, await createGrant(bob, space, { member: cy.did, role: 'write' }))
    grants.set(bob.did, await createGrant(owner, space, { member: cy.did, role: 'write' }))
    grants.set(owner.did, 'not a grant')
    await policy.settled()
    expect([policy.canRead(cy.did), policy.canRead(bob.did)]).toEqual([false, false])
    expect(policy.members().size).toBe(0)
    expect(policy.repairs()).toEqual([])
  })

  it("a grant first filed under another DID still counts once it is filed under its member's", async () => {
    const { grants, policy } = policyOver()
    const jws = await createGrant(owner, space, { member: bob.did, role: 'write' })
    grants.set(cy.did, jws)
    await policy.settled()
    expect(policy.canRead(bob.did) || policy.canRead(cy.did)).toBe(false)
    grants.set(bob.did, jws)
    await policy.settled()
    expect(policy.canWrite(bob.did)).toBe(true)
    expect(policy.canRead(cy.did)).toBe(false)
  })

  it('grants kept from before count when the document has none of them', async () => {
    const jws = await createGrant(owner, space, { member: bob.did, role: 'read' })
    const { policy, grants } = policyOver({ known: { [bob.did]: jws } })
    await policy.settled()
    expect(grants.size).toBe(0)
    expect(policy.canRead(bob.did)).toBe(true)
    expect(policy.canWrite(bob.did)).toBe(false)
  })

  it("on the owner's replica, privacy admits the trusted, except someone removed", async () => {
    const { policy } = policyOver({ privacy: { class: 'private', minLevel: 70 } })
    expect(policy.canRead(cy.did)).toBe(true)
    await policy.learn(await createGrant(owner, space, { member: cy.did, role: 'removed' }))
    expect(policy.canRead(cy.did)).toBe(false)
    await expect(policy.learn(await createGrant(bob, space, { member: cy.did, role: 'read' }))).rejects.toMatchObject({
      name: 'InvalidGrantError',
    })
  })
})
