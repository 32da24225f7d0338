import type { RequestObservation, RequestObserver } from '@os-hypervisors/core';
import { formatMicroversion } from './labels.js';
import type { LogSink } from './log-sink.js';

/** Where an observation goes: each is optional, and a request costs only what is switched on. */
export interface ObserverSinks {
  /** Counts and times the request (see `createMetrics`). */
  readonly metrics?: { recordRequest(observation: RequestObservation): void };
  /** One log line per request. */
  readonly logger?: LogSink;
  /** Puts route, microversion and status on the request's span (see `annotateActiveSpan` in ./tracing). */
  readonly annotate?: (observation: RequestObservation) => void;
  /** Monotonic milliseconds; default `performance.now`. */
  readonly now?: () => number;
}

/**
 * The fields of a request's log line. Only what identifies the request and its caller: never headers,
 * tokens or the path's own ids (the route is a template).
 */
export const requestLogFields = (o: RequestObservation): Record<string, unknown> => ({
  method: o.method,
  route: o.route,
  status: o.status,
  microversion: formatMicroversion(o.microversion),
  duration_ms: Math.round(o.durationMs * 1000) / 1000,
  request_id: o.requestId,
  user_id: o.userId,
  project_id: o.projectId,
  ...(o.rule === null ? {} : { rule: o.rule, grant: o.grant }),
  ...(o.error === null ? {} : { error: o.error }),
});

/** The core handler's observer (`HandlerDeps.observer`), feeding metrics, logs and the request span. */
export const createRequestObserver = (sinks: ObserverSinks): RequestObserver => {
  const { metrics, logger, annotate } = sinks;
  return {
    now: sinks.now ?? (() => performance.now()),
    observe: (o) => {
      metrics?.recordRequest(o);
      annotate?.(o);
      if (logger === undefined) return;
      // A 5xx is the service's failure (a dependency down, a bug), worth an operator's attention.
      if (o.status >= 500) logger.error(requestLogFields(o), 'request failed');
      else logger.info(requestLogFields(o), 'request');
    },
  };
};
