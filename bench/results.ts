import { mkdir, readdir, readFile, writeFile } from 'node:fs/promises'
import { cpus, totalmem } from 'node:os'
import { execFileSync } from 'node:child_process'
import { join } from 'node:path'

/** Which way is better for a figure: a time or a size falls, a rate or a ratio of rates rises. */
export type Better = 'lower' | 'higher'

/** One figure of a run: its samples, and beside it the reference measured in the same run. */
export interface Figure {
  part: string
  name: string
  unit: string
  better: Better
  median: number
  /** The value 95 % of samples are at least as good as: p95 of times, p5 of rates. */
  p95: number
  samples: number[]
  reference?: { name: string; median: number; p95: number; samples: number[] }
  /** Figure ÷ reference, median of the per-round ratios where rounds are paired, else of the medians. */
  ratio?: number
  goal?: { ratio: number; better: Better }
  /** A bound the median itself must keep (a memory budget, say), where there is no reference to compare with. */
  limit?: number
}

export interface Run {
  date: string
  commit: string
  machine: { cpus: number; memoryGiB: number; node: string }
  parts: string[]
  figures: Figure[]
}

export const RESULTS_DIR = 'bench/results'

export function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b)
  const mid = Math.floor(s.length / 2)
  return s.length % 2 === 1 ? (s[mid] as number) : ((s[mid - 1] as number) + (s[mid] as number)) / 2
}

/** The nearest-rank percentile `q` (0–1) of the samples. */
export function percentile(xs: number[], q: number): number {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(s.length * q) - 1))] as number
}

function tail(samples: number[], better: Better): number {
  return better === 'lower' ? percentile(samples, 0.95) : percentile(samples, 0.05)
}

/** A figure from its samples; `reference` samples, when given, were taken in the same run (paired round by round when `paired`). */
export function figure(
  part: string,
  name: string,
  unit: string,
  better: Better,
  samples: number[],
  options: { reference?: { name: string; samples: number[] }; paired?: boolean; goal?: number; limit?: number } = {},
): Figure {
  const result: Figure = { part, name, unit, better, median: median(samples), p95: tail(samples, better), samples }
  const ref = options.reference
  if (ref !== undefined) {
    result.reference = { name: ref.name, median: median(ref.samples), p95: tail(ref.samples, better), samples: ref.samples }
    result.ratio =
      options.paired === true && ref.samples.length === samples.length
        ? median(samples.map((s, i) => s / (ref.samples[i] as number)))
        : result.median / result.reference.median
  }
  if (options.limit !== undefined) result.limit = options.limit
  if (options.goal !== undefined) result.goal = { ratio: options.goal, better }
  return result
}

export function meetsGoal(f: Figure): boolean | undefined {
  if (f.limit !== undefined) return f.better === 'lower' ? f.median <= f.limit : f.median >= f.limit
  if (f.goal === undefined || f.ratio === undefined) return undefined
  return f.goal.better === 'higher' ? f.ratio >= f.goal.ratio : f.ratio <= f.goal.ratio
}

function commitOf(): string {
  try {
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).trim()
    const dirty = execFileSync('git', ['status', '--porcelain'], { encoding: 'utf8' }).trim() !== ''
    return dirty ? `${head}+changes` : head
  } catch {
    return 'unknown'
  }
}

export function newRun(parts: string[]): Run {
  return {
    date: new Date().toISOString(),
    commit: commitOf(),
    machine: { cpus: cpus().length, memoryGiB: Math.round(totalmem() / 2 ** 30), node: process.version },
    parts,
    figures: [],
  }
}

interface Measured {
  figure: Figure
  run: Run
}

/** Every run kept, oldest first, as each figure's history keyed by part and name (in the order figures first appeared). */
async function history(): Promise<Map<string, Measured[]>> {
  const found = new Map<string, Measured[]>()
  const files = (await readdir(RESULTS_DIR).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort()
  for (const file of files) {
    const run = JSON.parse(await readFile(join(RESULTS_DIR, file), 'utf8')) as Run
    for (const figure of run.figures) {
      const key = `${figure.part}\0${figure.name}`
      found.set(key, [...(found.get(key) ?? []), { figure, run }])
    }
  }
  return found
}

const round = (n: number): string => (Math.abs(n) >= 100 ? n.toFixed(0) : Math.abs(n) >= 10 ? n.toFixed(1) : n.toFixed(2))
const when = (run: Run): string => `${run.date.slice(0, 16).replace('T', ' ')}, ${run.commit}`

/**
 * The newest measure of every figure as a Markdown table, beside its reference
 * and the run before it, so a part run alone updates its own rows only.
 */
export function markdownOf(measures: Map<string, Measured[]>): string {
  const lines = [
    `# Benchmark results`,
    '',
    'The newest measure of each figure (`npm run bench`; a part alone: `npm run bench -- <part>`). Every reference was measured',
    'in the same run as its figure. p95 is the value 95 % of samples did at least as well as (the slow end of times, the low end',
    'of rates). Ratios are figure ÷ reference. Every run is kept beside this file as `<date>.json`.',
    '',
    '| part | figure | median | p95 | n | reference (same run) | ratio | goal | measured | run before |',
    '|---|---|---|---|---|---|---|---|---|---|',
  ]
  for (const runs of measures.values()) {
    const { figure: f, run } = runs.at(-1) as Measured
    const ref =
      f.reference === undefined ? '' : `${f.reference.name}: ${round(f.reference.median)} ${f.unit} (p95 ${round(f.reference.p95)})`
    const met = meetsGoal(f)
    const sign = f.better === 'higher' ? '≥' : '≤'
    const verdict = met === true ? '✔' : '✘ short'
    const goal =
      f.limit !== undefined ? `${sign} ${f.limit} ${f.unit} ${verdict}` : f.goal === undefined ? '' : `${sign} ${f.goal.ratio} ${verdict}`
    const before = runs.at(-2)
    const was =
      before === undefined
        ? ''
        : `${round(before.figure.median)} ${f.unit}${before.figure.ratio === undefined ? '' : `, ratio ${round(before.figure.ratio)}`} (${when(before.run)})`
    lines.push(
      `| ${f.part} | ${f.name} | ${round(f.median)} ${f.unit} | ${round(f.p95)} | ${f.samples.length} | ${ref} | ${f.ratio === undefined ? '' : round(f.ratio)} | ${goal} | ${when(run)} | ${was} |`,
    )
  }
  return lines.join('\n') + '\n'
}

/** Writes bench/results/<date>.json, then latest.md from every run kept. */
export async function saveRun(run: Run): Promise<{ json: string; markdown: string }> {
  await mkdir(RESULTS_DIR, { recursive: true })
  const json = join(RESULTS_DIR, `${run.date.replace(/[:.]/g, '-')}.json`)
  await writeFile(json, JSON.stringify(run) + '\n')
  return { json, markdown: await writeLatest() }
}

/** Writes latest.md from every run kept in bench/results. */
export async function writeLatest(): Promise<string> {
  const markdown = join(RESULTS_DIR, 'latest.md')
  await writeFile(markdown, markdownOf(await history()))
  return markdown
}
