import parsePrometheusTextFormat, { type MetricFamily } from 'parse-prometheus-text-format'

/** A relay's /metrics, read by a parser of the Prometheus text format (as prom2json reads it). */
export async function scrape(relayUrl: string): Promise<{ contentType: string; families: MetricFamily[] }> {
  const response = await fetch(`${relayUrl}metrics`)
  if (!response.ok) throw new Error(`/metrics answered ${response.status}`)
  return { contentType: response.headers.get('content-type') ?? '', families: parsePrometheusTextFormat(await response.text()) }
}

/** The sum of a family's samples whose labels include `labels` (0 when there are none). */
export function valueOf(families: MetricFamily[], name: string, labels: Record<string, string> = {}): number {
  const family = families.find((f) => f.name === name)
  if (family === undefined) throw new Error(`no metric family ${name}`)
  return family.metrics
    .filter((m) => Object.entries(labels).every(([k, v]) => m.labels?.[k] === v))
    .reduce((n, m) => n + Number(m.value ?? 0), 0)
}
