/** A pool's occupancy at one moment (for metrics): read from the driver's pool, never stored. */
export interface PoolStats {
  /** Open connections, busy or idle. */
  readonly total: number;
  readonly idle: number;
  /** Callers waiting for a connection. */
  readonly waiting: number;
  /** Most connections the pool opens. */
  readonly max: number;
}

/** The bounds every networked pool is created with (see SqlStorageOptions for the defaults). */
export interface PoolLimits {
  /** Most open connections. */
  readonly size: number;
  /** Longest wait for a connection: a free one from the pool, or a new one being opened. */
  readonly acquireTimeoutMs: number;
  /** Longest one statement may take before its connection is thrown away. */
  readonly queryTimeoutMs: number;
  /** Idle connections are closed after this long. */
  readonly idleTimeoutMs: number;
}
