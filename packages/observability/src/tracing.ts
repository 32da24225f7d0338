import { context, propagation, ROOT_CONTEXT, SpanKind, SpanStatusCode, trace, type TextMapGetter, type Tracer } from '@opentelemetry/api';
import type { CoreRequest, Handler, RequestObservation } from '@os-hypervisors/core';
import { formatMicroversion, microversionBucket } from './labels.js';

/** The tracer this package's spans come from (the global provider's, a no-op until an SDK registers one). */
export const TRACER_NAME = '@os-hypervisors/observability';
export const defaultTracer = (): Tracer => trace.getTracer(TRACER_NAME);

type Headers = CoreRequest['headers'];
/** Header names in any case (the core request allows it), repeated headers joined as HTTP does. */
const headerGetter: TextMapGetter<Headers> = {
  keys: (carrier) => Object.keys(carrier),
  get: (carrier, key) => {
    const wanted = key.toLowerCase();
    for (const [name, value] of Object.entries(carrier)) {
      if (name.toLowerCase() === wanted && value !== undefined) return typeof value === 'string' ? value : value.join(',');
    }
    return undefined;
  },
};

/**
 * Wraps the core handler in one server span per request. The caller's `traceparent` / `tracestate`
 * (W3C, through the registered propagator) make it a child of the caller's trace; the span stays active
 * while the handler runs, so instrumented ports (storage, policy, Keystone, uptime) become its children.
 * Route, microversion and status come from the request observer (`annotateActiveSpan`).
 */
export const tracedHandler = (handler: Handler, tracer: Tracer = defaultTracer()): Handler =>
  (req, credentials) => {
    const parent = propagation.extract(ROOT_CONTEXT, req.headers, headerGetter);
    return tracer.startActiveSpan(`${req.method} os-hypervisors`, { kind: SpanKind.SERVER, attributes: { 'http.request.method': req.method } }, parent, async (span) => {
      try {
        const response = await handler(req, credentials);
        span.setAttribute('http.response.status_code', response.status);
        const id = response.headers.find(([name]) => name === 'x-openstack-request-id');
        if (id !== undefined) span.setAttribute('openstack.request_id', id[1]);
        if (response.status >= 500) span.setStatus({ code: SpanStatusCode.ERROR });
        return response;
      } catch (e) {
        span.setStatus({ code: SpanStatusCode.ERROR, message: e instanceof Error ? e.constructor.name : 'Exception' });
        throw e;
      } finally {
        span.end();
      }
    });
  };

/** For `createRequestObserver({ annotate })`: names the request span after its route and adds what the handler decided. */
export const annotateActiveSpan = (o: RequestObservation): void => {
  const span = trace.getSpan(context.active());
  if (span === undefined || !span.isRecording()) return;
  span.updateName(`${o.method} ${o.route}`);
  span.setAttributes({
    'http.route': o.route,
    'openstack.api': o.api ?? 'none',
    'openstack.microversion': formatMicroversion(o.microversion) ?? 'none',
    'openstack.microversion_bucket': microversionBucket(o.microversion),
    ...(o.rule === null ? {} : { 'os_hypervisors.policy.rule': o.rule, 'os_hypervisors.policy.grant': o.grant ?? 'none' }),
    ...(o.requestId === null ? {} : { 'openstack.request_id': o.requestId }),
  });
};
