import { build, type Rollup } from 'vite'
import { figure, type Figure } from './results.ts'
import { gzipSync } from 'node:zlib'
import { veramoTrim } from '../scripts/veramo-trim.ts'
import { performance } from 'node:perf_hooks'
import { createVerifiableCredentialJwt, verifyCredential } from 'did-jwt-vc'
import { EdDSASigner } from 'did-jwt'
import { generateIdentity, type Identity } from '../shared/identity/did-key.ts'
import { createDidResolver } from '../shared/identity/resolver.ts'
import { TRUST_CREDENTIAL_TYPE, trustCredentialFromJwt, type TrustCredential } from '../shared/trust/credentials.ts'

const BEFORE_ENTRY = '\0credentials-before-the-agent'

/** The credential code as the app's build makes it for the browser (Vite, minified, Veramo trimmed), on its own, gzipped. */
async function bundledBytes(entry: string, options: { contents?: string; trim?: boolean } = {}): Promise<{ raw: number; gzip: number }> {
  const output = (await build({
    configFile: false,
    logLevel: 'silent',
    plugins: [
      ...(options.trim === false ? [] : [veramoTrim()]),
      {
        name: 'virtual-entry',
        resolveId: (id) => (id === BEFORE_ENTRY ? id : null),
        load: (id) => (id === BEFORE_ENTRY ? options.contents : null),
      },
    ],
    build: { write: false, minify: true, target: 'es2022', rollupOptions: { input: entry, preserveEntrySignatures: 'exports-only' } },
  })) as Rollup.RollupOutput | Rollup.RollupOutput[]
  const chunks = (Array.isArray(output) ? output.flatMap((o) => o.output) : output.output).filter((o) => o.type === 'chunk')
  const raw = chunks.reduce((sum, c) => sum + Buffer.byteLength(c.code), 0)
  const gzip = chunks.reduce((sum, c) => sum + gzipSync(c.code, { level: 9 }).byteLength, 0)
  return { raw, gzip }
}

/** What issuing and verifying were before the agent: did-jwt-vc called directly, the claim read the same way. */
const direct = {
  resolver: createDidResolver(),
  async issue(issuer: Identity, subject: string, now: number): Promise<TrustCredential> {
    const jwt = await createVerifiableCredentialJwt(
      {
        sub: subject,
        nbf: now,
        exp: now + 3600,
        vc: {
          '@context': ['https://www.w3.org/2018/credentials/v1'],
          type: ['VerifiableCredential', TRUST_CREDENTIAL_TYPE],
          credentialSubject: { trustLevel: 70, context: 'bench' },
        },
      },
      { did: issuer.did, signer: EdDSASigner(issuer.seed), alg: 'EdDSA' },
    )
    return await this.verify(jwt)
  },
  async verify(jwt: string): Promise<TrustCredential> {
    await verifyCredential(jwt, this.resolver)
    return await trustCredentialFromJwt(jwt)
  },
}

interface CredentialFigures {
  size: Record<'before' | 'wholeAgent' | 'agent', { raw: number; gzip: number }>
  agentLoadMs: number
  /** Per operation, ms, over the same rounds alternated. */
  issue: { direct: number[]; agent: number[] }
  verify: { direct: number[]; agent: number[] }
  present: number[]
  verifyPresentation: number[]
}

/** Sizes and timings of the credential code before the agent (did-jwt-vc directly) and through it, side by side. */
async function measure(rounds: number): Promise<CredentialFigures> {
  const before = await bundledBytes(BEFORE_ENTRY, {
    contents: [
      "export { createVerifiableCredentialJwt, verifyCredential } from 'did-jwt-vc'",
      "export { EdDSASigner } from 'did-jwt'",
      `export { createDidResolver } from '${process.cwd()}/shared/identity/resolver.ts'`,
      `export { trustCredentialFromJwt } from '${process.cwd()}/shared/trust/credentials.ts'`,
    ].join('\n'),
  })
  const agentSize = await bundledBytes('shared/trust/credential-agent.ts')
  const wholeAgent = await bundledBytes('shared/trust/credential-agent.ts', { trim: false })
  const [issuer, subject] = [generateIdentity(), generateIdentity()]
  const loadStart = performance.now()
  const { createCredentialAgent } = await import('../shared/trust/credential-agent.ts')
  const agent = await createCredentialAgent(issuer)
  const agentLoadMs = performance.now() - loadStart
  const verifier = await createCredentialAgent(subject)
  const figures: CredentialFigures = {
    size: { before, wholeAgent, agent: agentSize },
    agentLoadMs,
    issue: { direct: [], agent: [] },
    verify: { direct: [], agent: [] },
    present: [],
    verifyPresentation: [],
  }
  const time = async <T>(into: number[], run: () => Promise<T>): Promise<T> => {
    const start = performance.now()
    const result = await run()
    into.push(performance.now() - start)
    return result
  }
  const now = Math.floor(Date.now() / 1000)
  for (let r = 0; r < rounds + 20; r++) {
    const warm = r < 20 // the first rounds warm the JIT for both paths alike, and are not counted
    const sink = { issue: { direct: [], agent: [] }, verify: { direct: [], agent: [] }, present: [], verifyPresentation: [] }
    const into = warm ? sink : figures
    const a = await time(into.issue.direct, async () => await direct.issue(issuer, subject.did, now))
    const b = await time(
      into.issue.agent,
      async () => await agent.issue({ subject: subject.did, level: 70, context: 'bench', validForSeconds: 3600 }),
    )
    await time(into.verify.direct, async () => await direct.verify(b.jwt))
    await time(into.verify.agent, async () => await verifier.verify(a.jwt))
    const binding = { challenge: `nonce-${r}`, domain: subject.did }
    const vp = await time(into.present, async () => await agent.present([a.jwt, b.jwt], binding))
    await time(into.verifyPresentation, async () => await verifier.verifyPresentation(vp, { ...binding, holder: issuer.did }))
  }
  return figures
}

const ROUNDS = Number(process.env.BENCH_CREDENTIAL_ROUNDS ?? 300)

/** The credential code before the agent (did-jwt-vc directly) and through the Veramo agent: bundle sizes and times, rounds alternated. */
export async function credentialFigures(): Promise<Figure[]> {
  const f = await measure(ROUNDS)
  const size = (name: string, which: 'wholeAgent' | 'agent') =>
    figure('credentials', name, 'kB', 'lower', [f.size[which].gzip / 1000], {
      reference: { name: 'before the agent (did-jwt-vc directly)', samples: [f.size.before.gzip / 1000] },
    })
  const direct = { name: 'did-jwt-vc directly' }
  return [
    size('credential code for the browser, gzipped: agent, Veramo whole', 'wholeAgent'),
    size('credential code for the browser, gzipped: agent as built (trimmed)', 'agent'),
    figure('credentials', 'agent loaded and created, once (Node)', 'ms', 'lower', [f.agentLoadMs]),
    figure('credentials', 'issue one credential through the agent', 'ms', 'lower', f.issue.agent, {
      reference: { ...direct, samples: f.issue.direct },
      paired: true,
    }),
    figure('credentials', 'verify one credential through the agent', 'ms', 'lower', f.verify.agent, {
      reference: { ...direct, samples: f.verify.direct },
      paired: true,
    }),
    figure('credentials', 'present two in a VP bound to one connection', 'ms', 'lower', f.present),
    figure('credentials', 'verify that VP (binding and signatures)', 'ms', 'lower', f.verifyPresentation),
  ]
}
