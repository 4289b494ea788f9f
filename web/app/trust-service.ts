import { parseDid, type Identity } from '../../shared/identity/did-key.ts'
import { checkLevel, stepOf, type TrustStep } from '../../shared/trust/levels.ts'

export { stepOf }
import type { TrustList, TrustRecord } from '../../shared/trust/trust-list.ts'
import type { CredentialStore } from '../../shared/trust/credential-store.ts'
import {
  InvalidPresentationError,
  MAX_PRESENTED_CREDENTIALS,
  signRevocations,
  verifyRevocations,
  type CredentialAgent,
  type PresentationBinding,
  type PresentationFailure,
  type RevocationList,
  type TrustCredential,
} from '../../shared/trust/credentials.ts'
import { deriveTrust, withoutRevoked, type DerivedTrust } from '../../shared/trust/propagation.ts'
import { Emitter, type Unsubscribe } from '../../shared/events/emitter.ts'
import { logOf } from '../../shared/log.ts'

const log = logOf('trust')

export type { DerivedTrust, PresentationFailure, TrustCredential }

export interface TrustView extends TrustRecord {
  step: TrustStep
}

/** What peers not yet updated get from me, unbound: the credentials I issued and my revocations. */
export interface TrustBundle {
  credentials: string[]
  revocations: string | undefined
}

/** A presentation as it arrived on a connection, with the challenge it must carry there (my handshake nonce). */
export interface ReceivedPresentation {
  vp: string
  challenge: string
  revocations: string | undefined
}

/** A presentation I refused, kept so the Trust view can say so. */
export interface RefusedPresentation {
  holder: string
  reason: PresentationFailure
  at: number
}

const REFUSALS_KEPT = 20

export interface TrustComponents {
  list: TrustList
  credentials: CredentialStore
  identity: () => Identity
  /** The Veramo agent for the current identity, loaded when first needed. */
  agent: () => Promise<CredentialAgent>
}

/**
 * My trust list and the credentials I know, held in memory too so that every
 * access decision reads the current level synchronously: a change applies to
 * the very next request.
 */
export interface TrustEvents {
  /** The trust list, credentials or revocations changed. */
  change: []
}

export class TrustService {
  readonly #c: TrustComponents
  readonly #records = new Map<string, TrustRecord>()
  #credentials: TrustCredential[] = []
  #revocations: RevocationList[] = []
  #refusals: RefusedPresentation[] = []
  readonly #events = new Emitter<TrustEvents>()

  constructor(components: TrustComponents) {
    this.#c = components
  }

  async start(): Promise<void> {
    for (const r of await this.#c.list.list()) this.#records.set(r.did, r)
    this.#credentials = await this.#c.credentials.listCredentials()
    this.#revocations = await this.#c.credentials.listRevocations()
    this.#changed()
  }

  on<K extends keyof TrustEvents>(name: K, listener: (...args: TrustEvents[K]) => void): Unsubscribe {
    return this.#events.on(name, listener)
  }

  /** A DID's level and why: my own word, a chain of credentials, or the default. */
  explain(did: string): DerivedTrust {
    parseDid(did)
    const direct = new Map([...this.#records.values()].map((r) => [r.did, r.level]))
    const live = withoutRevoked(this.#credentials, this.#revocations)
    return deriveTrust(did, { me: this.#c.identity().did, direct, credentials: live, nowSeconds: Math.floor(Date.now() / 1000) })
  }

  levelOf(did: string): number {
    return this.explain(did).level
  }

  list(): TrustView[] {
    return [...this.#records.values()]
      .map((r) => ({ ...r, step: stepOf(r.level) }))
      .sort((a, b) => b.level - a.level || a.did.localeCompare(b.did))
  }

  /** Sets my trust in a DID (0 blocks it). Typed errors for a malformed DID or level; nothing changes then. */
  async setTrust(did: string, level: number, details: { label?: string; note?: string } = {}): Promise<void> {
    const clean = parseDid(did.trim())
    const before = this.#records.get(clean)
    const record: TrustRecord = {
      did: clean,
      level: checkLevel(level),
      label: (details.label ?? before?.label ?? '').slice(0, 64),
      note: (details.note ?? before?.note ?? '').slice(0, 1000),
      updatedAt: Date.now(),
    }
    this.#records.set(clean, record)
    try {
      await this.#c.list.put(record)
    } catch (err) {
      if (before === undefined) this.#records.delete(clean)
      else this.#records.set(clean, before)
      throw err
    }
    this.#changed()
  }

  async forget(did: string): Promise<void> {
    this.#records.delete(did)
    await this.#c.list.delete(did)
    this.#changed()
  }

  /** Vouches for a DID with a signed credential that peers can fetch from me. */
  async issueCredential(subject: string, level: number, context: string, validDays: number): Promise<TrustCredential> {
    const days = Math.min(Math.max(Math.floor(validDays), 1), 3650)
    const agent = await this.#c.agent()
    const credential = await agent.issue({
      subject: parseDid(subject.trim()),
      level,
      context,
      validForSeconds: days * 86_400,
    })
    await this.#keep(credential)
    return credential
  }

  issuedByMe(): TrustCredential[] {
    const me = this.#c.identity().did
    const revoked = new Set(this.#revocations.find((l) => l.issuer === me)?.revoked ?? [])
    return this.#credentials.filter((c) => c.issuer === me && !revoked.has(c.id))
  }

  async revoke(credentialId: string): Promise<void> {
    const me = this.#c.identity()
    const mine = this.#revocations.find((l) => l.issuer === me.did)
    const list = await signRevocations(me, [...new Set([...(mine?.revoked ?? []), credentialId])])
    await this.#c.credentials.putRevocations(list)
    this.#revocations = await this.#c.credentials.listRevocations()
    this.#changed()
  }

  /** Live credentials others issued about me: what I can show a peer who does not know those issuers. */
  aboutMe(): TrustCredential[] {
    const me = this.#c.identity().did
    const now = Math.floor(Date.now() / 1000)
    return withoutRevoked(this.#credentials, this.#revocations).filter((c) => c.subject === me && c.issuer !== me && c.expiresAt > now)
  }

  /** The refused presentations, newest first. */
  refusals(): RefusedPresentation[] {
    return [...this.#refusals]
  }

  bundle(): TrustBundle {
    return {
      credentials: this.issuedByMe()
        .slice(0, MAX_PRESENTED_CREDENTIALS)
        .map((c) => c.jwt),
      revocations: this.#myRevocations(),
    }
  }

  /** My credentials, issued by me and about me, in a presentation bound to one connection. */
  async present(binding: PresentationBinding): Promise<{ vp: string; revocations: string | undefined }> {
    const held = [...this.issuedByMe(), ...this.aboutMe()].slice(0, MAX_PRESENTED_CREDENTIALS).map((c) => c.jwt)
    const agent = await this.#c.agent()
    return { vp: await agent.present(held, binding), revocations: this.#myRevocations() }
  }

  /**
   * Takes a peer's presentation: refused whole unless the peer proven on this
   * connection made it for this connection and for me; then keeps each
   * credential that verifies and was issued by the holder or is about them.
   */
  async takePresentation(holder: string, received: ReceivedPresentation): Promise<{ accepted: number; refused: number }> {
    const agent = await this.#c.agent()
    let presented: string[]
    try {
      presented = await agent.verifyPresentation(received.vp, { holder, challenge: received.challenge, domain: agent.did })
    } catch (err) {
      const reason = err instanceof InvalidPresentationError ? err.reason : 'invalid'
      this.#refusals = [{ holder, reason, at: Date.now() }, ...this.#refusals].slice(0, REFUSALS_KEPT)
      this.#changed()
      throw err
    }
    return await this.#take(holder, presented, received.revocations, (c) => c.issuer === holder || c.subject === holder)
  }

  /** Takes the bundle of a peer not yet updated: keeps what verifies and was issued by `issuer`, drops the rest. */
  async takeCredentials(issuer: string, bundle: TrustBundle): Promise<{ accepted: number; refused: number }> {
    return await this.#take(issuer, bundle.credentials, bundle.revocations, (c) => c.issuer === issuer)
  }

  /** A credential pasted as its JWT: kept once it verifies, whoever issued it. */
  async importCredential(jwt: string): Promise<TrustCredential> {
    const credential = await (await this.#c.agent()).verify(jwt.trim())
    await this.#keep(credential)
    return credential
  }

  async #take(
    from: string,
    jwts: string[],
    revocations: string | undefined,
    belongs: (credential: TrustCredential) => boolean,
  ): Promise<{ accepted: number; refused: number }> {
    const agent = await this.#c.agent()
    let accepted = 0
    let refused = 0
    for (const jwt of jwts.slice(0, MAX_PRESENTED_CREDENTIALS)) {
      const credential = await agent.verify(jwt).catch((err: unknown) => void log('a credential from %s refused: %e', from, err))
      if (credential === undefined || !belongs(credential)) {
        refused++
        continue
      }
      // a failure to keep it is this browser's, not the sender's: it is thrown
      await this.#c.credentials.putCredential(credential)
      accepted++
    }
    if (revocations !== undefined) {
      const list = await verifyRevocations(revocations).catch((err: unknown) => void log('revocations from %s refused: %e', from, err))
      if (list?.issuer === from) await this.#c.credentials.putRevocations(list)
      else refused++
    }
    this.#credentials = await this.#c.credentials.listCredentials()
    this.#revocations = await this.#c.credentials.listRevocations()
    this.#changed()
    return { accepted, refused }
  }

  #myRevocations(): string | undefined {
    const me = this.#c.identity().did
    return this.#revocations.find((l) => l.issuer === me)?.jws
  }

  async #keep(credential: TrustCredential): Promise<void> {
    await this.#c.credentials.putCredential(credential)
    this.#credentials = await this.#c.credentials.listCredentials()
    this.#changed()
  }

  #changed(): void {
    this.#events.emit('change')
  }
}
