import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import type { Libp2p } from 'libp2p'
import type { Connection } from '@libp2p/interface'
import { createJWT, EdDSASigner, ES256KSigner } from 'did-jwt'
import { base64url } from 'multiformats/bases/base64'
import { fromString } from 'uint8arrays'
import { AUTH_KIND, createAuthToken } from '../../../shared/auth/auth-token.ts'
import { generateIdentity, type Identity } from '../../../shared/identity/did-key.ts'
import { createEntry } from '../../../shared/entries/entry.ts'
import { AUTH_NONCE_BYTES, decodeAuthMessage, encodeAuthMessage, type AuthMessage } from '../../../shared/protocol/auth-messages.ts'
import { readFrames, writeFrame } from '../../../shared/protocol/framing.ts'
import { AUTH_PROTOCOL, BLOCKS_PROTOCOL } from '../../../shared/protocol/protocol-ids.ts'
import { encodeRequest } from '../../../shared/protocol/block-messages.ts'
import { rawCidFor } from '../../../shared/cas/cid.ts'
import { MemoryBlockStore } from '../../store/block-stores.ts'
import { createBareMemoryNode, createMemoryBlockNode, type BlockNode } from '../testing/memory-nodes.ts'

const ROUNDS = Number(process.env.AUTH_ROUNDS ?? 100)
const now = () => Math.floor(Date.now() / 1000)

/** Resolves once the connection has closed (the server closes every refused one). */
async function closed(connection: Connection): Promise<void> {
  if (connection.status === 'closed' || connection.status === 'aborted' || connection.status === 'reset') return
  await new Promise<void>((resolve) => connection.addEventListener('close', () => resolve(), { once: true }))
}

interface AttackContext {
  attacker: Identity
  serverHello: Extract<AuthMessage, { type: 'hello' }>
  attackerPeer: string
  serverPeer: string
}

/** Plays the dialler's side by hand, answering with `makeProof`; returns the server's verdict. */
async function attack(
  bare: Libp2p,
  server: BlockNode,
  makeProof: (ctx: AttackContext) => Promise<string>,
  attacker = generateIdentity(),
): Promise<{ verdict: AuthMessage | undefined; connection: Connection; ctx: AttackContext }> {
  const connection = await bare.dial(server.getMultiaddrs())
  const stream = await connection.newStream(AUTH_PROTOCOL)
  const frames = readFrames(stream)
  const next = async () => {
    const r = await frames.next()
    return r.done === true ? undefined : decodeAuthMessage(r.value)
  }
  await writeFrame(
    stream,
    encodeAuthMessage({
      type: 'hello',
      did: attacker.did,
      nonce: crypto.getRandomValues(new Uint8Array(AUTH_NONCE_BYTES)),
      name: 'mallory',
    }),
  )
  const serverHello = (await next()) as Extract<AuthMessage, { type: 'hello' }>
  await next() // the server's own proof
  const ctx = { attacker, serverHello, attackerPeer: bare.peerId.toString(), serverPeer: server.peerId.toString() }
  await writeFrame(stream, encodeAuthMessage({ type: 'proof', jws: await makeProof(ctx) }))
  const verdict = await next().catch(() => undefined)
  return { verdict, connection, ctx }
}

/** A correct answer for this connection, with fields overridden. */
async function honestProof(ctx: AttackContext, override: Record<string, unknown> = {}, signer = ctx.attacker): Promise<string> {
  const iat = now()
  return await createJWT(
    {
      kind: AUTH_KIND,
      v: 1,
      aud: ctx.serverHello.did,
      nonce: base64url.baseEncode(ctx.serverHello.nonce),
      peer: ctx.attackerPeer,
      remotePeer: ctx.serverPeer,
      role: 'dialer',
      iat,
      exp: iat + 60,
      ...override,
    },
    { issuer: ctx.attacker.did, signer: EdDSASigner(signer.seed), alg: 'EdDSA' },
  )
}

describe('/cas-disot/auth/1.0.0 between real libp2p nodes', () => {
  let server: BlockNode
  let client: BlockNode
  let bare: Libp2p
  const serverIdentity = generateIdentity()
  const clientIdentity = generateIdentity()

  beforeAll(async () => {
    // time enough for a handshake on a loaded machine; tests of the deadline make their own quick node
    server = await createMemoryBlockNode(new MemoryBlockStore(), serverIdentity, 2_000)
    client = await createMemoryBlockNode(new MemoryBlockStore(), clientIdentity)
    bare = await createBareMemoryNode()
  })
  afterAll(async () => await Promise.all([server.stop(), client.stop(), bare.stop()]))

  it(`${ROUNDS} honest handshakes: all accepted, both sides learn the other's DID`, async () => {
    const times: number[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now()
      const connection = await client.dial(server.getMultiaddrs())
      expect(await client.services.peerAuth.authenticated(connection)).toBe(serverIdentity.did)
      times.push(performance.now() - started)
      const serverSide = server.getConnections(client.peerId)[0]
      expect(serverSide && (await server.services.peerAuth.authenticated(serverSide))).toBe(clientIdentity.did)
      await client.hangUp(server.peerId)
    }
    times.sort((a, b) => a - b)
    console.info(`honest handshake (dial + auth, memory transport): median ${times[ROUNDS / 2]?.toFixed(1)} ms over ${ROUNDS}`)
    const book = server.services.peerAuth.peers().find((p) => p.did === clientIdentity.did)
    expect(book).toMatchObject({ status: 'authenticated', failures: 0, peerIds: [client.peerId.toString()] })
  }, 120_000)

  const cases: Array<[string, (ctx: AttackContext) => Promise<string>, string[]]> = [
    ['a wrong audience', async (ctx) => await honestProof(ctx, { aud: generateIdentity().did }), ['wrong-audience']],
    ['a missing audience', async (ctx) => await honestProof(ctx, { aud: undefined }), ['wrong-audience']],
    ['an expired answer', async (ctx) => await honestProof(ctx, { iat: now() - 200, exp: now() - 140 }), ['expired']],
    ['an answer from the future', async (ctx) => await honestProof(ctx, { iat: now() + 120, exp: now() + 180 }), ['not-yet-valid']],
    ['an answer living too long', async (ctx) => await honestProof(ctx, { exp: now() + 3600 }), ['too-long-lived']],
    ['a DID whose key did not sign', async (ctx) => await honestProof(ctx, {}, generateIdentity()), ['bad-signature']],
    ["a peer ID that is not the connection's", async (ctx) => await honestProof(ctx, { peer: client.peerId.toString() }), ['wrong-peer']],
    ['the wrong role', async (ctx) => await honestProof(ctx, { role: 'listener' }), ['wrong-role']],
    ['the wrong challenge', async (ctx) => await honestProof(ctx, { nonce: base64url.baseEncode(new Uint8Array(32)) }), ['wrong-nonce']],
    [
      'alg ES256K',
      async (ctx) =>
        await createJWT(
          { kind: AUTH_KIND, aud: ctx.serverHello.did },
          { issuer: ctx.attacker.did, signer: ES256KSigner(fromString('33'.repeat(32), 'base16')), alg: 'ES256K' },
        ),
      ['unsupported-alg'],
    ],
    [
      'a DISOT entry instead of an answer',
      async (ctx) =>
        (
          await createEntry(ctx.attacker, {
            type: 'document',
            content: 'bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku',
            title: 'x',
          })
        ).jws,
      ['not-auth-token'],
    ],
  ]

  for (const [label, makeProof, reasons] of cases) {
    it(`refuses ${label}, ${ROUNDS} times out of ${ROUNDS}, and closes the connection`, async () => {
      let accepted = 0
      for (let i = 0; i < ROUNDS; i++) {
        const { verdict, connection } = await attack(bare, server, makeProof)
        if (verdict?.type === 'ok') accepted++
        expect(verdict?.type === 'refused' && reasons.includes(verdict.reason)).toBe(true)
        await closed(connection)
      }
      expect(accepted).toBe(0)
    }, 120_000)
  }

  it(`refuses ${ROUNDS} replays of answers that were accepted on other connections`, async () => {
    let accepted = 0
    const attacker = generateIdentity()
    const second = await createBareMemoryNode()
    try {
      for (let i = 0; i < ROUNDS; i++) {
        // one connection completes honestly; its answer is then replayed on another
        const [first, replayer] = i % 2 === 0 ? [bare, second] : [second, bare]
        let captured = ''
        const honest = await attack(first, server, async (ctx) => (captured = await honestProof(ctx)), attacker)
        expect(honest.verdict?.type).toBe('ok')
        const { verdict } = await attack(replayer, server, async () => captured, attacker)
        if (verdict?.type === 'ok') accepted++
        expect(verdict?.type === 'refused' && ['wrong-nonce', 'replayed'].includes(verdict.reason)).toBe(true)
        await Promise.all([first.hangUp(server.peerId), replayer.hangUp(server.peerId)])
      }
    } finally {
      await second.stop()
    }
    expect(accepted).toBe(0)
  }, 120_000)

  it('serves no block bytes to a connection that never authenticated', async () => {
    const holderStore = new MemoryBlockStore()
    const holder = await createMemoryBlockNode(holderStore, generateIdentity(), 300)
    try {
      const bytes = new TextEncoder().encode('private bytes')
      const cid = await rawCidFor(bytes)
      await holderStore.put(cid, bytes)
      const connection = await bare.dial(holder.getMultiaddrs())
      const stream = await connection.newStream(BLOCKS_PROTOCOL)
      await writeFrame(stream, encodeRequest({ type: 'want', cid }))
      let received = 0
      try {
        for await (const chunk of stream) received += chunk.byteLength
      } catch {
        // the holder resets the stream: that is the refusal
      }
      expect(received).toBe(0)
      // reset by the guard, or ended with the connection when the handshake never started
      await expect.poll(() => stream.status).not.toBe('open')
    } finally {
      await holder.stop()
    }
  })

  it('closes connections on which the handshake never starts (20 fresh peers), and keeps authenticated ones', async () => {
    const quickIdentity = generateIdentity()
    const quick = await createMemoryBlockNode(new MemoryBlockStore(), quickIdentity, 300)
    const silent = await Promise.all(Array.from({ length: 20 }, async () => await createBareMemoryNode()))
    try {
      const connections = await Promise.all(silent.map(async (node) => await node.dial(quick.getMultiaddrs())))
      const honest = await client.dial(quick.getMultiaddrs())
      expect(await client.services.peerAuth.authenticated(honest)).toBe(quickIdentity.did)
      // this node's handshake time is 300 ms: each silent connection is gone soon after, from both ends
      await Promise.all(connections.map(closed))
      for (const node of silent) expect(quick.getConnections(node.peerId)).toEqual([])
      expect(honest.status).toBe('open')
      expect(quick.getConnections(client.peerId).some((c) => c.status === 'open')).toBe(true)
      await client.hangUp(quick.peerId)
    } finally {
      await Promise.all([...silent, quick].map(async (node) => await node.stop()))
    }
  })

  it('a token made for another server is refused for its audience, and for nothing else', async () => {
    const otherServer = generateIdentity()
    // everything this server checks is right (its challenge, both peer IDs, the role) but the audience
    const tokenFor = (audience: string) => async (ctx: AttackContext) =>
      await createAuthToken(ctx.attacker, {
        nonce: ctx.serverHello.nonce,
        audience,
        peer: ctx.attackerPeer,
        remotePeer: ctx.serverPeer,
        role: 'dialer',
      })
    const refused = await attack(bare, server, tokenFor(otherServer.did))
    expect(refused.verdict).toMatchObject({ type: 'refused', reason: 'wrong-audience' })
    await closed(refused.connection)
    // the same token made out to this server is accepted: the audience was its only fault
    const accepted = await attack(bare, server, async (ctx) => await tokenFor(ctx.serverHello.did)(ctx))
    expect(accepted.verdict).toMatchObject({ type: 'ok' })
    await accepted.connection.close()
  })

  it('a listener of successful handshakes that throws cannot undo one', async () => {
    const undo = server.services.peerAuth.on('authenticated', () => {
      throw new Error('a careless listener')
    })
    try {
      const connection = await client.dial(server.getMultiaddrs())
      expect(await client.services.peerAuth.authenticated(connection)).toBe(serverIdentity.did)
      const serverSide = server.getConnections(client.peerId)[0]
      expect(serverSide && (await server.services.peerAuth.authenticated(serverSide))).toBe(clientIdentity.did)
      expect(serverSide?.status).toBe('open')
      expect(server.services.peerAuth.peers().find((p) => p.did === clientIdentity.did)?.status).toBe('authenticated')
      await client.hangUp(server.peerId)
    } finally {
      undo()
    }
  })
})
