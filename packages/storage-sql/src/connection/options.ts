import type { PoolLimits } from './pool-limits.js';

/** How a SQL backend connects. Every wait is bounded so a request fails fast instead of hanging. */
export interface SqlStorageOptions {
  /** Most open connections per process (default 10). */
  readonly poolSize?: number;
  /** Longest wait for a connection, free or new (default 3000 ms); past it the call is `unavailable` (503). */
  readonly acquireTimeoutMs?: number;
  /** Longest one statement may run (default 5000 ms); past it the call is a `timeout` (500). */
  readonly queryTimeoutMs?: number;
  /** Idle connections are closed after this long (default 30000 ms). */
  readonly idleTimeoutMs?: number;
  /** Apply pending schema migrations when opening (default true). */
  readonly migrate?: boolean;
}

export const DEFAULT_LIMITS: PoolLimits = { size: 10, acquireTimeoutMs: 3000, queryTimeoutMs: 5000, idleTimeoutMs: 30_000 };

export const poolLimits = (options: SqlStorageOptions): PoolLimits => ({
  size: options.poolSize ?? DEFAULT_LIMITS.size,
  acquireTimeoutMs: options.acquireTimeoutMs ?? DEFAULT_LIMITS.acquireTimeoutMs,
  queryTimeoutMs: options.queryTimeoutMs ?? DEFAULT_LIMITS.queryTimeoutMs,
  idleTimeoutMs: options.idleTimeoutMs ?? DEFAULT_LIMITS.idleTimeoutMs,
});
