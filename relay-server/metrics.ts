import { collectDefaultMetrics, Counter, Gauge, Registry } from 'prom-client'
import type { PinRecord } from './content/pin-store.ts'
import type { RelayNode } from './relay.ts'
import type { ConnectionRefusal } from './connection-limits.ts'

/** What the relay's HTTP side answers, by the kind of request. */
export type HttpRoute = 'gateway' | 'pinning' | 'health' | 'multiaddrs' | 'metrics' | 'app' | 'other'

/** Why the relay refused something, as counted. */
export type RefusalReason = 'reservations-per-address' | ConnectionRefusal

/**
 * The relay's figures for `GET /metrics`, in the Prometheus text format
 * (prom-client): the process (memory, CPU, event loop), libp2p connections
 * and reservations, WebSocket hand-offs, HTTP requests by route and status
 * (the gateway's and the pinning service's among them), refusals by reason,
 * and what is pinned. Gauges are read when scraped, so they cost nothing between.
 */
export class RelayMetrics {
  readonly registry = new Registry()
  readonly #http: Counter<'route' | 'status'>
  readonly #refusals: Counter<'reason'>
  readonly #upgrades: Counter

  /** What the gauges read when scraped; filled in by attach(). */
  readonly #watched: { relay?: RelayNode; openUpgrades: () => number } = { openUpgrades: () => 0 }

  constructor(sources: { pins: () => PinRecord[] }) {
    const registers = [this.registry]
    // collect() runs with the gauge as `this`: what it reads comes through this object
    const watched = this.#watched
    collectDefaultMetrics({ register: this.registry, prefix: 'relay_' })
    this.#http = new Counter({
      name: 'relay_http_requests_total',
      help: 'HTTP requests answered, by route and status.',
      labelNames: ['route', 'status'],
      registers,
    })
    this.#refusals = new Counter({
      name: 'relay_refusals_total',
      help: 'Requests the relay refused, by reason.',
      labelNames: ['reason'],
      registers,
    })
    this.#upgrades = new Counter({ name: 'relay_websocket_upgrades_total', help: 'WebSocket upgrades handed to libp2p.', registers })
    new Gauge({
      name: 'relay_websocket_open',
      help: 'WebSocket connections open now.',
      registers,
      collect() {
        this.set(watched.openUpgrades())
      },
    })
    new Gauge({
      name: 'relay_libp2p_connections',
      help: 'libp2p connections open now.',
      registers,
      collect() {
        this.set(watched.relay?.getConnections().length ?? 0)
      },
    })
    new Gauge({
      name: 'relay_reservations',
      help: 'Circuit relay reservations held now.',
      registers,
      collect() {
        this.set(watched.relay?.services.relay.reservations.size ?? 0)
      },
    })
    new Gauge({
      name: 'relay_pins',
      help: 'Pins held, by status.',
      labelNames: ['status'],
      registers,
      collect() {
        this.reset()
        for (const pin of sources.pins()) this.inc({ status: pin.status })
      },
    })
    new Gauge({
      name: 'relay_pinned_bytes',
      help: 'Bytes of the pinned DAGs (a block pinned twice counted twice).',
      registers,
      collect() {
        this.set(sources.pins().reduce((n, pin) => n + (pin.bytes ?? 0), 0))
      },
    })
  }

  /** The relay and its HTTP side are built after the metrics (the connection gater reports refusals): handed over once they exist. */
  attach(relay: RelayNode, http: { openUpgrades: () => number }): void {
    this.#watched.relay = relay
    this.#watched.openUpgrades = http.openUpgrades
  }

  answered(route: HttpRoute, status: number): void {
    this.#http.inc({ route, status: String(status) })
  }

  refused(reason: RefusalReason): void {
    this.#refusals.inc({ reason })
  }

  upgraded(): void {
    this.#upgrades.inc()
  }

  async text(): Promise<{ contentType: string; body: string }> {
    return { contentType: this.registry.contentType, body: await this.registry.metrics() }
  }
}
