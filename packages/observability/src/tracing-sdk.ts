import { context, propagation, trace } from '@opentelemetry/api';
import { detectResources, envDetector, resourceFromAttributes } from '@opentelemetry/resources';
import {
  BatchSpanProcessor, ConsoleSpanExporter, NodeTracerProvider, SimpleSpanProcessor, type SpanExporter, type SpanProcessor,
} from '@opentelemetry/sdk-trace-node';

export { tracingRequested } from './tracing-env.js';

type Env = Readonly<Record<string, string | undefined>>;

export interface TracingOptions {
  /** Default `OTEL_SERVICE_NAME`, else `os-hypervisors`. */
  readonly serviceName?: string;
  readonly env?: Env;
  /** Export here instead of what OTEL_TRACES_EXPORTER names (tests: an InMemorySpanExporter), span by span. */
  readonly exporter?: SpanExporter;
}

export interface TracingSetup {
  /** Configuration problems (an unsupported exporter or protocol), for the start-up log. */
  readonly warnings: ReadonlyArray<string>;
  /** Which exporters were started (`otlp (http/protobuf)`, `console`, …). */
  readonly exporters: ReadonlyArray<string>;
  /** Flushes pending spans and unregisters the global provider, propagator and context manager. */
  shutdown(): Promise<void>;
}

const otlpExporter = async (env: Env, warnings: string[]): Promise<{ exporter: SpanExporter; label: string } | null> => {
  const protocol = (env.OTEL_EXPORTER_OTLP_TRACES_PROTOCOL ?? env.OTEL_EXPORTER_OTLP_PROTOCOL ?? 'http/protobuf').trim();
  // Both exporters read OTEL_EXPORTER_OTLP_[TRACES_]ENDPOINT, _HEADERS, _TIMEOUT and _COMPRESSION themselves.
  if (protocol === 'http/protobuf') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-proto');
    return { exporter: new OTLPTraceExporter() as unknown as SpanExporter, label: 'otlp (http/protobuf)' };
  }
  if (protocol === 'http/json') {
    const { OTLPTraceExporter } = await import('@opentelemetry/exporter-trace-otlp-http');
    return { exporter: new OTLPTraceExporter() as unknown as SpanExporter, label: 'otlp (http/json)' };
  }
  warnings.push(`OTLP protocol "${protocol}" is not supported here (use http/protobuf or http/json): no traces are exported over OTLP`);
  return null;
};

/**
 * Starts the OpenTelemetry trace SDK as the standard variables say (OTEL_TRACES_EXPORTER: `otlp`,
 * `console`, `none`; OTEL_EXPORTER_OTLP_*; OTEL_SERVICE_NAME, OTEL_RESOURCE_ATTRIBUTES; OTEL_TRACES_SAMPLER
 * and OTEL_BSP_* are read by the SDK itself) and registers it globally with the W3C trace-context
 * propagator, so `tracedHandler` honours an incoming `traceparent`.
 */
export const startTracing = async (options: TracingOptions = {}): Promise<TracingSetup> => {
  const env = options.env ?? process.env;
  const warnings: string[] = [];
  const processors: SpanProcessor[] = [];
  const labels: string[] = [];
  if (options.exporter !== undefined) {
    processors.push(new SimpleSpanProcessor(options.exporter));
    labels.push('given');
  } else {
    const named = env.OTEL_TRACES_EXPORTER?.split(',').map((e) => e.trim()).filter((e) => e !== '') ?? ['otlp'];
    for (const name of named.length === 0 ? ['otlp'] : named) {
      if (name === 'none') continue;
      if (name === 'console') {
        processors.push(new SimpleSpanProcessor(new ConsoleSpanExporter()));
        labels.push('console');
      } else if (name === 'otlp') {
        const otlp = await otlpExporter(env, warnings);
        if (otlp !== null) {
          processors.push(new BatchSpanProcessor(otlp.exporter));
          labels.push(otlp.label);
        }
      } else {
        warnings.push(`OTEL_TRACES_EXPORTER "${name}" is not supported here (use otlp, console or none)`);
      }
    }
  }
  const serviceName = options.serviceName ?? env.OTEL_SERVICE_NAME ?? 'os-hypervisors';
  const resource = resourceFromAttributes({ 'service.name': serviceName }).merge(detectResources({ detectors: [envDetector] }));
  const provider = new NodeTracerProvider({ resource, spanProcessors: processors });
  provider.register();
  return {
    warnings,
    exporters: labels,
    shutdown: async () => {
      await provider.shutdown();
      trace.disable();
      propagation.disable();
      context.disable();
    },
  };
};

/** For tests and embedders: collect spans in memory (`startTracing({ exporter: new InMemorySpanExporter() })`). */
export { InMemorySpanExporter, type ReadableSpan } from '@opentelemetry/sdk-trace-node';
