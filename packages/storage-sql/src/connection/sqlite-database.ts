import Database from 'better-sqlite3';
import type { SqliteDatabase } from 'kysely';

/**
 * A better-sqlite3 database. Statements run synchronously in this process, so there is no network to
 * stall; `busyTimeoutMs` bounds the wait for another process's write lock (several replicas on one file).
 */
export const openSqliteDatabase = (filename: string, busyTimeoutMs: number): SqliteDatabase => {
  const db = new Database(filename, { timeout: busyTimeoutMs });
  // WAL lets readers go on while an import writes; it does not apply to :memory:.
  if (filename !== ':memory:') db.pragma('journal_mode = WAL');
  return db;
};
