import type { RequestObservation } from '@os-hypervisors/core';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import { methodLabel, microversionBucket } from './labels.js';

/** Connection pool occupancy, as a storage backend reports it (see storage-sql's `poolStats()`). */
export interface PoolStats {
  /** Open connections, busy or idle. */
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection. */
  readonly waiting: number;
  /** Most connections the pool opens. */
  readonly max: number;
}

export interface MetricsOptions {
  /** Default: a new registry (so several servers, or tests, in one process never share counters). */
  readonly registry?: Registry;
  /** The policy profile in force, a label on every request (`spec` or `nova`). */
  readonly profile?: string;
  /** Node's process metrics (CPU, memory, event-loop lag, GC), prefixed `os_hypervisors_`. Default true. */
  readonly processMetrics?: boolean;
}

/** Request latency buckets (seconds): the handler answers in well under a millisecond from memory. */
const REQUEST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const DEPENDENCY_BUCKETS = [0.0001, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

/**
 * The Prometheus instruments. Labels come from closed sets only — route templates, microversion
 * buckets, statuses, rule names, dependency and operation names — never hypervisor ids, project ids or
 * tokens, so the number of series stays fixed however many clouds and callers there are.
 */
export class Metrics {
  readonly registry: Registry;
  private readonly profile: string;
  readonly requests: Counter<'route' | 'method' | 'microversion' | 'status' | 'profile'>;
  readonly requestDuration: Histogram<'route' | 'microversion' | 'status_class'>;
  readonly policyDecisions: Counter<'rule' | 'grant'>;
  readonly dependencyCalls: Counter<'dependency' | 'operation' | 'outcome'>;
  readonly dependencyDuration: Histogram<'dependency' | 'operation'>;
  readonly cacheLookups: Counter<'dependency' | 'operation' | 'result'>;
  readonly dependencyUp: Gauge<'dependency'>;
  private readonly pools = new Map<string, () => PoolStats | null>();

  constructor(options: MetricsOptions = {}) {
    const registry = options.registry ?? new Registry();
    this.registry = registry;
    this.profile = options.profile ?? 'spec';
    const registers = [registry];
    this.requests = new Counter({
      name: 'os_hypervisors_requests_total', help: 'Requests answered, by route template, method, microversion bucket, status and policy profile.',
      labelNames: ['route', 'method', 'microversion', 'status', 'profile'], registers,
    });
    this.requestDuration = new Histogram({
      name: 'os_hypervisors_request_duration_seconds', help: 'Time from request to response in the handler.',
      labelNames: ['route', 'microversion', 'status_class'], buckets: REQUEST_BUCKETS, registers,
    });
    this.policyDecisions = new Counter({
      name: 'os_hypervisors_policy_decisions_total', help: 'Policy decisions by rule and outcome: system or project grant, or denied.',
      labelNames: ['rule', 'grant'], registers,
    });
    this.dependencyCalls = new Counter({
      name: 'os_hypervisors_dependency_calls_total', help: 'Calls to storage, Keystone, caches and uptime providers, by outcome (ok, or the failure kind).',
      labelNames: ['dependency', 'operation', 'outcome'], registers,
    });
    this.dependencyDuration = new Histogram({
      name: 'os_hypervisors_dependency_duration_seconds', help: 'Latency of calls to storage, Keystone, caches and uptime providers.',
      labelNames: ['dependency', 'operation'], buckets: DEPENDENCY_BUCKETS, registers,
    });
    this.cacheLookups = new Counter({
      name: 'os_hypervisors_cache_lookups_total', help: 'Cache lookups by result (hit or miss); hit ratio = hit / (hit + miss).',
      labelNames: ['dependency', 'operation', 'result'], registers,
    });
    this.dependencyUp = new Gauge({
      name: 'os_hypervisors_dependency_up', help: 'Whether a dependency answered its last readiness probe or call (1) or not (0).',
      labelNames: ['dependency'], registers,
    });
    if (options.processMetrics ?? true) collectDefaultMetrics({ register: registry, prefix: 'os_hypervisors_' });
  }

  /** For the request observer (`createRequestObserver({ metrics })`). */
  recordRequest(o: RequestObservation): void {
    const microversion = microversionBucket(o.microversion);
    this.requests.inc({ route: o.route, method: methodLabel(o.method), microversion, status: String(o.status), profile: this.profile });
    this.requestDuration.observe({ route: o.route, microversion, status_class: `${Math.floor(o.status / 100)}xx` }, o.durationMs / 1000);
  }

  /**
   * Pool occupancy read at each scrape: `os_hypervisors_db_pool_connections{state="busy|idle|waiting"}`
   * and `os_hypervisors_db_pool_max`, one `pool` label per name. `stats` may answer null (no pool: SQLite).
   */
  addPool(name: string, stats: () => PoolStats | null): void {
    const first = this.pools.size === 0;
    this.pools.set(name, stats);
    if (!first) return;
    const pools = this.pools;
    const each = (visit: (pool: string, s: PoolStats) => void) => {
      for (const [pool, read] of pools) {
        const s = read();
        if (s !== null) visit(pool, s);
      }
    };
    new Gauge({
      name: 'os_hypervisors_db_pool_connections', help: 'Database pool connections by state (busy, idle) and callers waiting for one.',
      labelNames: ['pool', 'state'], registers: [this.registry],
      collect() {
        each((pool, s) => {
          this.set({ pool, state: 'busy' }, s.total - s.idle);
          this.set({ pool, state: 'idle' }, s.idle);
          this.set({ pool, state: 'waiting' }, s.waiting);
        });
      },
    });
    new Gauge({
      name: 'os_hypervisors_db_pool_max', help: 'Most connections the database pool opens.',
      labelNames: ['pool'], registers: [this.registry],
      collect() {
        each((pool, s) => this.set({ pool }, s.max));
      },
    });
  }

  /** The text exposition for `/metrics`. */
  render(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

export const createMetrics = (options: MetricsOptions = {}): Metrics => new Metrics(options);
