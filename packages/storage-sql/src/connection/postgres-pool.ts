import type { PostgresPool, PostgresPoolClient } from 'kysely';
import pg from 'pg';
import { withDeadline } from './deadline.js';
import type { PoolLimits, PoolStats } from './pool-limits.js';

const ignore = (): void => {};

/** `timestamp` and `timestamptz` as the server's text, never a Date in the process's time zone (Nova's are naive UTC). */
const TIMESTAMP_OIDS = new Set([1114, 1184]);
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
    TIMESTAMP_OIDS.has(oid) ? (text: string) => text : pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};

/**
 * A pooled client whose statements are bounded in time. A client that timed out or failed is destroyed
 * on release instead of being reused: after a stall or a dropped connection its state is unknown.
 */
const boundedClient = (client: pg.PoolClient, queryTimeoutMs: number): PostgresPoolClient => {
  let broken = false;
  const query = async (sql: string, parameters: ReadonlyArray<unknown>) => {
    try {
      return await withDeadline(client.query(sql, [...parameters]), queryTimeoutMs, 'query');
    } catch (error) {
      broken = true;
      throw error;
    }
  };
  return {
    // Only plain statements are used (no cursors), so the cursor overload is never called.
    query: query as unknown as PostgresPoolClient['query'],
    release: () => client.release(broken),
  };
};

/**
 * pg's Pool, bounded: `connectionTimeoutMillis` covers both waiting for a free client and opening a new
 * one; the server's `statement_timeout` stops work nobody waits for; the client-side deadline also
 * catches a network that stalls without an error. pg replaces destroyed clients, so the pool recovers by
 * itself when the server is back.
 */
export const createPostgresPool = (connectionString: string, limits: PoolLimits): { pool: PostgresPool; stats: () => PoolStats } => {
  const pool = new pg.Pool({
    connectionString,
    max: limits.size,
    connectionTimeoutMillis: limits.acquireTimeoutMs,
    idleTimeoutMillis: limits.idleTimeoutMs,
    statement_timeout: limits.queryTimeoutMs,
    keepAlive: true,
    types,
  });
  // A client whose server went away emits 'error'; with no listener Node would end the process. The
  // failure reaches the caller through its query instead.
  pool.on('error', ignore);
  pool.on('connect', (client) => client.on('error', ignore));
  return {
    pool: {
      connect: async () => boundedClient(await pool.connect(), limits.queryTimeoutMs),
      end: () => pool.end(),
    },
    stats: () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount, max: limits.size }),
  };
};
