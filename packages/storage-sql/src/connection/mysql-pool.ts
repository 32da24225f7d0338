import type { MysqlPool, MysqlPoolConnection } from 'kysely';
import mysql from 'mysql2';
import { DeadlineExceeded, withDeadline } from './deadline.js';
import type { PoolLimits, PoolStats } from './pool-limits.js';

type QueryCallback = (error: unknown, result: never) => void;

/**
 * A pooled connection whose statements are bounded in time. On a timeout the connection is destroyed at
 * once (mysql2 would otherwise keep waiting on it); after any failure it is destroyed, not reused.
 */
const boundedConnection = (connection: mysql.PoolConnection, queryTimeoutMs: number): MysqlPoolConnection => {
  let broken = false;
  const query = (sql: string, parameters: Array<unknown>, callback: QueryCallback): void => {
    let settled = false;
    const timer = setTimeout(() => {
      settled = true;
      broken = true;
      connection.destroy();
      callback(new DeadlineExceeded('query', queryTimeoutMs), undefined as never);
    }, queryTimeoutMs);
    connection.query(sql, parameters, (error, result) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      if (error) broken = true;
      callback(error, result as never);
    });
  };
  return {
    // Only plain statements are used (no streams), so the streaming overload is never called.
    query: query as unknown as MysqlPoolConnection['query'],
    release: () => (broken ? connection.destroy() : connection.release()),
  };
};

const ignore = (): void => {};

/**
 * The server's own limit, so a statement the client gave up on does not run on: MariaDB's
 * `max_statement_time` (seconds), else MySQL's `max_execution_time` (milliseconds, reads only). mysql2
 * runs a connection's commands in order, so it is in force before the first query.
 */
const limitStatements = (connection: mysql.PoolConnection, queryTimeoutMs: number): void => {
  connection.query(`SET SESSION max_statement_time = ${queryTimeoutMs / 1000}`, (error) => {
    if (error !== null) connection.query(`SET SESSION max_execution_time = ${Math.ceil(queryTimeoutMs)}`, ignore);
  });
};

/**
 * The session's sql_mode, whatever the server's global one. mysql2's `query()` interpolates values on the
 * client and escapes quotes with backslashes, which `NO_BACKSLASH_ESCAPES` would turn into SQL injection
 * (`' or 1=1 #` escaping a LIKE) and corrupted imports. Strict, so an over-long value is an error, never
 * truncated. (Server-side prepared statements would not need this, but kysely's MysqlDialect calls
 * `query()`, and mysql2's `execute()` binds every number as a DOUBLE, which MySQL 8 refuses for LIMIT.)
 */
export const SESSION_SQL_MODE = 'STRICT_ALL_TABLES,NO_ENGINE_SUBSTITUTION';

/** A connection whose mode could not be set is destroyed before it runs anything else (in-order commands). */
const pinSqlMode = (connection: mysql.PoolConnection): void => {
  connection.query(`SET SESSION sql_mode = '${SESSION_SQL_MODE}'`, (error) => {
    if (error !== null) connection.destroy();
  });
};

/**
 * mysql2's pool, bounded: `connectTimeout` limits opening a connection, and waiting for a free one is
 * bounded here (mysql2 queues without a limit); statements are bounded by the client and the server.
 * mysql2 opens new connections as needed, so the pool recovers by itself when the server is back.
 */
/** mysql2 keeps its counts in undocumented queues; read defensively (0 if a release renames them). */
interface Mysql2PoolQueues {
  readonly _allConnections?: { readonly length: number };
  readonly _freeConnections?: { readonly length: number };
}

export const createMysqlPool = (uri: string, limits: PoolLimits): { pool: MysqlPool; stats: () => PoolStats } => {
  const pool = mysql.createPool({
    uri,
    connectionLimit: limits.size,
    maxIdle: limits.size,
    idleTimeout: limits.idleTimeoutMs,
    connectTimeout: limits.acquireTimeoutMs,
    waitForConnections: true,
    enableKeepAlive: true,
    charset: 'utf8mb4',
    // DATETIME as the database's text, never a Date in the process's time zone (Nova's are naive UTC).
    dateStrings: true,
  });
  // A connection that fails while idle emits 'error'; unheard, Node would end the process.
  pool.on('connection', (connection) => {
    connection.on('error', ignore);
    pinSqlMode(connection);
    limitStatements(connection, limits.queryTimeoutMs);
  });
  const acquire = () =>
    new Promise<mysql.PoolConnection>((resolve, reject) => pool.getConnection((error, connection) => (error ? reject(error) : resolve(connection))));
  // mysql2 queues waiters without a limit; the bounded waits in flight are counted here instead.
  let waiting = 0;
  const queues = pool as unknown as Mysql2PoolQueues;
  const stats = (): PoolStats => ({
    total: queues._allConnections?.length ?? 0, idle: queues._freeConnections?.length ?? 0, waiting, max: limits.size,
  });
  const counted = <T>(p: Promise<T>): Promise<T> => {
    waiting += 1;
    return p.finally(() => { waiting -= 1; });
  };
  return { stats, pool: {
    getConnection: (callback) => {
      withDeadline(counted(acquire()), limits.acquireTimeoutMs, 'connection', (late) => late.release()).then(
        (connection) => callback(null, boundedConnection(connection, limits.queryTimeoutMs)),
        (error: unknown) => callback(error, undefined as never),
      );
    },
    end: (callback) => pool.end(callback),
  } };
};
