import type { Span, SpanKind, SpanStatusCode, Tracer } from '@opentelemetry/api';
import type { Authorizer, CredentialSource, HypervisorStorage, UptimeProvider } from '@os-hypervisors/core';
import type { DependencyStatus } from './dependency-status.js';
import type { Metrics } from './metrics.js';
import { redactSecrets } from './redact.js';

// The API's enum values, written out so that metrics or logs alone never load @opentelemetry/api
// (a test checks they still match it).
export const SPAN_KIND_CLIENT = 2 as SpanKind; // SpanKind.CLIENT
export const SPAN_STATUS_ERROR = 2 as SpanStatusCode; // SpanStatusCode.ERROR

/** What an instrumented port reports to; every part is optional. */
export interface Instruments {
  readonly metrics?: Pick<Metrics, 'dependencyCalls' | 'dependencyDuration' | 'cacheLookups' | 'policyDecisions'>;
  readonly tracer?: Tracer;
  /** Outage / recovery tracking (and logging) per dependency. */
  readonly status?: DependencyStatus;
  /** Monotonic ms; default `performance.now`. */
  readonly now?: () => number;
}

export interface PortOptions<P> {
  /** The `dependency` label and span prefix: `storage`, `keystone`, `cache`, `uptime`, … */
  readonly dependency: string;
  /** The methods to wrap; default every method. Others (close, accessors) pass through untouched. */
  readonly methods?: ReadonlyArray<keyof P & string>;
  /** For caches: whether a call's result was a hit (`undefined`: that call is not a lookup). */
  readonly cacheHit?: (operation: string, result: unknown) => boolean | undefined;
  /**
   * `task`: methods return a TaskEither (a thunk; the storage port), timed when the thunk runs.
   * `value` (default): methods return a value or a promise, timed until it settles.
   */
  readonly returns?: 'task' | 'value';
  /** Whether failures count as the dependency being down (default true; false for per-host uptime). */
  readonly tracksHealth?: boolean;
}

/** Failure kinds that mean the dependency did not answer (StorageFault's `unavailable` / `timeout`, a throw). */
const OUTAGES = new Set(['unavailable', 'timeout', 'error']);

interface EitherLike { readonly _tag: 'Left' | 'Right'; readonly left?: unknown; readonly right?: unknown }
const isEither = (v: unknown): v is EitherLike =>
  typeof v === 'object' && v !== null && ((v as EitherLike)._tag === 'Left' || (v as EitherLike)._tag === 'Right');
const isThenable = (v: unknown): v is PromiseLike<unknown> =>
  typeof v === 'object' && v !== null && typeof (v as PromiseLike<unknown>).then === 'function';

/** `ok`, or the kind of a Left (`unavailable`, `timeout`, `failed`, …), bounded to a label-safe word. */
const outcomeOf = (result: unknown): string => {
  if (!isEither(result) || result._tag === 'Right') return 'ok';
  const kind = (result.left as { kind?: unknown } | null)?.kind;
  return typeof kind === 'string' && /^[a-z_]{1,24}$/.test(kind) ? kind : 'failed';
};
const valueOf = (result: unknown): unknown => (isEither(result) && result._tag === 'Right' ? result.right : result);
const messageOf = (result: unknown): string | undefined => {
  if (!isEither(result) || result._tag === 'Right') return undefined;
  const message = (result.left as { message?: unknown } | null)?.message;
  return typeof message === 'string' ? message : undefined;
};

/** Times one call, whatever it returns: a value, a promise, or a TaskEither thunk (timed when run). */
const observeCall = (
  instruments: Instruments,
  options: PortOptions<unknown>,
  operation: string,
  run: () => unknown,
): unknown => {
  const { metrics, tracer, status } = instruments;
  const now = instruments.now ?? (() => performance.now());
  const { dependency } = options;
  const tracks = options.tracksHealth ?? true;

  const settle = (span: Span | undefined, started: number, outcome: string, result: unknown, error?: unknown): void => {
    metrics?.dependencyCalls.inc({ dependency, operation, outcome });
    metrics?.dependencyDuration.observe({ dependency, operation }, (now() - started) / 1000);
    if (outcome === 'ok' && options.cacheHit !== undefined) {
      const hit = options.cacheHit(operation, valueOf(result));
      if (hit !== undefined) {
        metrics?.cacheLookups.inc({ dependency, operation, result: hit ? 'hit' : 'miss' });
        span?.setAttribute('os_hypervisors.cache.hit', hit);
      }
    }
    const reason = error !== undefined ? (error instanceof Error ? `${error.constructor.name}: ${error.message}` : String(error)) : messageOf(result);
    if (tracks) status?.report(dependency, !OUTAGES.has(outcome), reason);
    if (span !== undefined) {
      span.setAttribute('os_hypervisors.outcome', outcome);
      if (outcome !== 'ok') span.setStatus({ code: SPAN_STATUS_ERROR, ...(reason === undefined ? {} : { message: redactSecrets(reason) }) });
      span.end();
    }
  };

  /** Runs `work` inside the call's span (so nested calls become its children) and settles it. */
  const timed = (work: () => unknown): unknown => {
    const inSpan = (span: Span | undefined): unknown => {
      const started = now();
      let result: unknown;
      try {
        result = work();
      } catch (e) {
        settle(span, started, 'error', undefined, e);
        throw e;
      }
      if (!isThenable(result)) {
        settle(span, started, outcomeOf(result), result);
        return result;
      }
      return Promise.resolve(result).then(
        (value) => { settle(span, started, outcomeOf(value), value); return value; },
        (e: unknown) => { settle(span, started, 'error', undefined, e); throw e; },
      );
    };
    if (tracer === undefined) return inSpan(undefined);
    return tracer.startActiveSpan(`${dependency} ${operation}`, {
      kind: SPAN_KIND_CLIENT,
      attributes: { 'os_hypervisors.dependency': dependency, 'os_hypervisors.operation': operation },
    }, inSpan);
  };

  // A TaskEither method returns a thunk: the call happens when the thunk runs, so that is what is timed.
  if (options.returns === 'task') {
    const task = run();
    return typeof task === 'function' ? () => timed(task as () => unknown) : timed(() => task);
  }
  return timed(run);
};

/**
 * Wraps a port (any object of methods: the storage port, a Keystone client, a cache, an uptime provider)
 * so every call is counted, timed, traced as a child span and tracked for outages, without the port's
 * code knowing. The result is a Proxy: properties that are not wrapped methods pass through.
 */
export const instrumentPort = <P extends object>(port: P, options: PortOptions<P>, instruments: Instruments): P => {
  const wrapped = new Map<PropertyKey, unknown>();
  const chosen = options.methods === undefined ? null : new Set<PropertyKey>(options.methods);
  return new Proxy(port, {
    get(target, property) {
      const value: unknown = Reflect.get(target, property);
      if (typeof value !== 'function' || (chosen !== null && !chosen.has(property)) || typeof property !== 'string') {
        return typeof value === 'function' ? value.bind(target) : value;
      }
      let fn = wrapped.get(property);
      if (fn === undefined) {
        const method = value as (...args: unknown[]) => unknown;
        fn = (...args: unknown[]) => observeCall(instruments, options as PortOptions<unknown>, property, () => method.apply(target, args));
        wrapped.set(property, fn);
      }
      return fn;
    },
  });
};

/** The storage port's methods (core/src/storage.ts), the ones a request calls. */
export const STORAGE_OPERATIONS = [
  'listNodes', 'findNodeById', 'findNodeByUuid', 'searchNodes', 'instancesByHosts', 'statistics', 'listAggregates', 'findAggregate',
] as const satisfies ReadonlyArray<keyof HypervisorStorage>;

export const instrumentStorage = <S extends HypervisorStorage>(storage: S, instruments: Instruments): S =>
  instrumentPort(storage, { dependency: 'storage', methods: STORAGE_OPERATIONS, returns: 'task' }, instruments);

/** Per-host uptime lookups: timed and traced, but a host that does not answer is not a dependency outage. */
export const instrumentUptime = (uptime: UptimeProvider, instruments: Instruments): UptimeProvider =>
  instrumentPort(uptime, { dependency: 'uptime', methods: ['uptime'], tracksHealth: false }, instruments);

/** Each policy decision: a span, and `os_hypervisors_policy_decisions_total{rule, grant}`. */
export const instrumentAuthorizer = (authorizer: Authorizer, instruments: Instruments): Authorizer => ({
  authorize: (rule, credentials) => {
    const decide = (span: Span | undefined) => {
      const decision = authorizer.authorize(rule, credentials);
      const grant = decision.allowed ? decision.grant.kind : 'denied';
      instruments.metrics?.policyDecisions.inc({ rule, grant });
      span?.setAttributes({ 'os_hypervisors.policy.rule': rule, 'os_hypervisors.policy.grant': grant });
      span?.end();
      return decision;
    };
    return instruments.tracer === undefined ? decide(undefined) : instruments.tracer.startActiveSpan('policy authorize', decide);
  },
});

/**
 * Each credential resolver (noauth2, trusted Keystone headers, a Keystone token validator): a span per
 * call and the `credentials` dependency's calls and latency. `names` label them (default: each function's name, else `resolve-N`).
 * A resolver that returns a promise (token validation over the network) is timed until it settles.
 */
export const instrumentCredentialResolvers = (
  resolvers: ReadonlyArray<CredentialSource>,
  instruments: Instruments,
  names: ReadonlyArray<string> = [],
): ReadonlyArray<CredentialSource> =>
  resolvers.map((resolve, i) => {
    // The resolver's own name (`noauth2Resolver`, `keystoneHeadersResolver`) when it has a label-safe one.
    const operation = names[i] ?? (/^[A-Za-z_][\w-]{0,47}$/.test(resolve.name) ? resolve.name : `resolve-${i}`);
    const options: PortOptions<unknown> = { dependency: 'credentials', tracksHealth: false };
    return ((headers) => observeCall(instruments, options, operation, () => resolve(headers))) as CredentialSource;
  });
export * from './container.js';
