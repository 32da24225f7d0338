// Public API of @os-hypervisors/observability. Each part is also its own entry point
// (./observer, ./metrics, ./tracing, ./tracing-sdk, ./logging, ./health, ./instrument), so a server
// loads prom-client, pino or the OpenTelemetry SDK only when it switches that part on.
export * from './request-observer.js';
export * from './labels.js';
export * from './redact.js';
export * from './log-sink.js';
export * from './dependency-status.js';
export * from './instrument.js';
export * from './metrics.js';
export * from './tracing.js';
export * from './readiness.js';
export * from './ops-server.js';
export * from './logging.js';
export { startTracing, InMemorySpanExporter, type ReadableSpan, type TracingOptions, type TracingSetup } from './tracing-sdk.js';
export { tracingRequested } from './tracing-env.js';
