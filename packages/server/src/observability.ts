import type { DependencyContainer } from 'tsyringe';
import { HYPERVISOR_STORAGE, REQUEST_OBSERVER, type Handler, type HypervisorStorage } from '@os-hypervisors/core';
import type { LogSink, ReadinessProbe } from '@os-hypervisors/observability';

/** What an operator watches; each part is off unless given, and its library is loaded only then. */
export interface ObservabilityOptions {
  /** One line per request, outages and recoveries (a pino logger, or anything with info/warn/error). */
  readonly logger?: LogSink;
  /** Serve `/metrics`, `/healthz` and `/readyz` on their own listener (port 0: a free one). */
  readonly metrics?: { readonly port: number; readonly host?: string; readonly path?: string };
  /**
   * Spans through the global OpenTelemetry tracer: one per request, children for policy, storage,
   * credentials and uptime. They go nowhere until an SDK is registered (the CLI does so when OTEL_*
   * variables ask: `startTracing` in @os-hypervisors/observability/tracing-sdk).
   */
  readonly tracing?: boolean;
  /** Readiness depends on these too (Keystone, a cache); the storage's probe is always there. */
  readonly readinessProbes?: ReadonlyArray<ReadinessProbe>;
}

export interface Observed {
  /** The handler to serve (wrapped in a request span when tracing). */
  readonly handler: Handler;
  /** `http://HOST:PORT` of the metrics and health listener, when one was asked for. */
  readonly metricsUrl?: string;
  close(): Promise<void>;
}

interface PooledStorage extends HypervisorStorage {
  poolStats(): { total: number; idle: number; waiting: number; max: number } | null;
}
const hasPool = (s: HypervisorStorage): s is PooledStorage => typeof (s as Partial<PooledStorage>).poolStats === 'function';

/**
 * Decorates the container's ports (storage, policy, credentials, uptime) and registers the request
 * observer, before the handler is built; then starts the operator's listener. Nothing is loaded or
 * wrapped for a part that is off, and with everything off the handler is built exactly as without this.
 */
export const observe = async (
  container: DependencyContainer,
  options: ObservabilityOptions & { readonly profile: string },
  build: () => Handler,
): Promise<Observed> => {
  const { logger, metrics: metricsListen, tracing } = options;
  if (logger === undefined && metricsListen === undefined && tracing !== true) return { handler: build(), close: async () => {} };

  const { createRequestObserver, DependencyStatus } = await import('@os-hypervisors/observability/observer');
  const metrics = metricsListen === undefined ? undefined : new (await import('@os-hypervisors/observability/metrics')).Metrics({ profile: options.profile });
  const tracingModule = tracing === true ? await import('@os-hypervisors/observability/tracing') : undefined;
  const status = new DependencyStatus({ logger, onChange: (dependency, up) => metrics?.dependencyUp.set({ dependency }, up ? 1 : 0) });
  const storage = container.resolve(HYPERVISOR_STORAGE);

  if (metrics !== undefined || tracingModule !== undefined) {
    const { instrumentContainer } = await import('@os-hypervisors/observability/instrument');
    instrumentContainer(container, { metrics, tracer: tracingModule?.defaultTracer(), status });
  } else {
    // Logs only: outages and recoveries still come from the storage calls.
    const { instrumentStorage } = await import('@os-hypervisors/observability/instrument');
    container.registerInstance(HYPERVISOR_STORAGE, instrumentStorage(storage, { status }));
  }
  container.registerInstance(REQUEST_OBSERVER, createRequestObserver({ metrics, logger, annotate: tracingModule?.annotateActiveSpan }));
  const built = build();
  const handler = tracingModule === undefined ? built : tracingModule.tracedHandler(built);
  if (metricsListen === undefined) return { handler, close: async () => {} };

  if (metrics !== undefined && hasPool(storage)) metrics.addPool('storage', () => storage.poolStats());
  const { Health, startOpsServer, storageProbe } = await import('@os-hypervisors/observability/health');
  // The probe asks the storage itself, not its instrumented wrapper: probes are not API traffic.
  const health = new Health([storageProbe(storage), ...(options.readinessProbes ?? [])], { status });
  const ops = await startOpsServer({ port: metricsListen.port, host: metricsListen.host, metricsPath: metricsListen.path, metrics, health });
  return { handler, metricsUrl: ops.url, close: () => ops.close() };
};
