import type { InjectionToken } from 'tsyringe';
import type { ApiVersion } from './microversion/version.js';
import type { PolicyRuleName } from './policy/decision.js';

/**
 * Which route a request took, as a template (never the ids in its path, so it is safe as a metric label):
 * an operation's template such as `/os-hypervisors/{id}`, or one of the answers given before routing.
 */
export type RouteTemplate = string;

/** What the handler saw of one request, handed to an observer once the response is ready. */
export interface RequestObservation {
  readonly method: string;
  /**
   * `/os-hypervisors/{id}`, `/os-aggregates`, … or where it ended before routing: `versions`, `choices`,
   * `version-document`, `api` (an API path never routed: 401), `unrouted` (the router's 404).
   */
  readonly route: RouteTemplate;
  /** `v2.1` or the legacy `v2`; null for the root version list. */
  readonly api: 'v2' | 'v2.1' | null;
  /** The negotiated microversion; null when none was (version list, bad version header, legacy v2). */
  readonly microversion: ApiVersion | null;
  readonly status: number;
  /** The policy rule checked, when the request got that far. */
  readonly rule: PolicyRuleName | null;
  /** How the policy decided: `system` or `project` grant, or `denied`; null when no rule was checked. */
  readonly grant: 'system' | 'project' | 'denied' | null;
  /** Measured with the observer's own clock (`now`). */
  readonly durationMs: number;
  readonly requestId: string | null;
  readonly userId: string | null;
  readonly projectId: string | null;
  /** The class name of an unexpected error (the 500 answer's), never its message. */
  readonly error: string | null;
}

/**
 * The handler's one observation hook (metrics, logs, traces live outside the core and plug in here).
 * `now` is the observer's monotonic clock in milliseconds (e.g. `performance.now`): injected, so the
 * core reads no clock itself. Without an observer the handler reads no clock and builds no observation.
 */
export interface RequestObserver {
  now(): number;
  observe(observation: RequestObservation): void;
}

export const REQUEST_OBSERVER: InjectionToken<RequestObserver> = Symbol.for('os-hypervisors:RequestObserver');
