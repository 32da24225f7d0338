import type { StorageFault } from '@os-hypervisors/core';
import { DeadlineExceeded } from './deadline.js';

/**
 * A server that is down, restarting, unreachable or saturated: it will come back by itself. PostgreSQL
 * SQLSTATEs: too many connections, shutting down, starting up.
 */
const OUTAGE_CODES = new Set([
  'ECONNREFUSED', 'ECONNRESET', 'ECONNABORTED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN',
  'PROTOCOL_CONNECTION_LOST', 'ER_CON_COUNT_ERROR', 'ER_SERVER_SHUTDOWN', '53300', '57P01', '57P02', '57P03',
]);
/**
 * Every way of having no connection (pg, mysql2, better-sqlite3): the outages, and what is a mistake
 * rather than an outage — an unknown host, a refused login (PostgreSQL invalid password, unknown role),
 * a SQLite file that cannot be opened, a mysql2 connection already broken by one.
 */
const CONNECTION_CODES = new Set([
  ...OUTAGE_CODES, 'ENOTFOUND', 'PROTOCOL_ENQUEUE_AFTER_FATAL_ERROR', 'ER_ACCESS_DENIED_ERROR', 'SQLITE_CANTOPEN', '28P01', '28000',
]);
/** Statement timeouts reported by the servers: PostgreSQL query_canceled, MariaDB and MySQL, SQLite's lock wait. */
const TIMEOUT_CODES = new Set(['57014', 'ER_STATEMENT_TIMEOUT', 'ER_QUERY_TIMEOUT', 'SQLITE_BUSY', 'SQLITE_LOCKED']);
/** pg reports a lost or never-made connection by message only, and better-sqlite3 a file it cannot open. */
const OUTAGE_MESSAGES = [/connection terminated/i, /timeout exceeded when trying to connect/i];
const CONNECTION_MESSAGES = [
  ...OUTAGE_MESSAGES, /not queryable/i, /connection (is )?(in )?closed state/i, /cannot open database/i, /unable to open database/i,
];

/** The error and what it wraps (AggregateError from dual-stack connects, `cause` chains). */
const causes = (error: unknown, depth = 0): unknown[] => {
  if (depth > 4 || typeof error !== 'object' || error === null) return [error];
  const nested = [
    ...((error as { errors?: unknown[] }).errors ?? []),
    ...((error as { cause?: unknown }).cause === undefined ? [] : [(error as { cause?: unknown }).cause]),
  ];
  return [error, ...nested.flatMap((e) => causes(e, depth + 1))];
};

const codeOf = (error: unknown): string | undefined => {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
};

const messageOf = (error: unknown): string => (error instanceof Error ? error.message : String(error));

const kindOf = (error: unknown): StorageFault['kind'] => {
  const all = causes(error);
  if (all.some((e) => e instanceof DeadlineExceeded && e.waitingFor === 'connection')) return 'unavailable';
  if (all.some((e) => e instanceof DeadlineExceeded)) return 'timeout';
  const codes = all.map(codeOf);
  if (codes.some((c) => c !== undefined && (CONNECTION_CODES.has(c) || c.startsWith('08')))) return 'unavailable';
  if (codes.some((c) => c !== undefined && TIMEOUT_CODES.has(c))) return 'timeout';
  if (all.some((e) => CONNECTION_MESSAGES.some((m) => m.test(messageOf(e))))) return 'unavailable';
  return 'failed';
};

/**
 * The port's fault for a database error: `unavailable` (no connection: refused, dropped, none free in
 * time) becomes a 503, `timeout` and `failed` a 500. The message is for logs, never for the API body.
 */
export const classifyFault = (error: unknown): StorageFault => ({ kind: kindOf(error), message: messageOf(error), cause: error });

/**
 * An error that says the database is out of reach for now, not that the configuration is wrong: a
 * refused, reset or timed-out connection, a server shutting down or starting up. A login refused, an
 * unknown host name or a missing database are mistakes an operator must see at start-up.
 */
export const isOutage = (error: unknown): boolean => {
  const all = causes(error);
  if (all.some((e) => e instanceof DeadlineExceeded && e.waitingFor === 'connection')) return true;
  if (all.some((e) => OUTAGE_CODES.has(codeOf(e) ?? ''))) return true;
  return all.some((e) => codeOf(e) === undefined && OUTAGE_MESSAGES.some((m) => m.test(messageOf(e))));
};
