import { isLeft } from 'fp-ts/lib/Either.js';
import { openDatabase } from './connection/open-database.js';
import type { SqlStorageOptions } from './connection/options.js';
import { isOutage } from './connection/classify-fault.js';
import { migrateToLatest } from './schema/migrations.js';
import { pendingMigration } from './schema/pending-migration.js';
import { SqlStorage } from './sql-storage.js';

/**
 * A SqlStorage for `postgres://…`, `mysql://…`, `sqlite:FILE` or `sqlite::memory:`, with the schema
 * migrated unless `migrate: false`. Rejects on a bad URL or a failed migration (a start-up error, which
 * an operator must see) — except that a database server that cannot be reached (refused, reset, timed
 * out, shutting down; not a refused login or an unknown host) is an outage: then the storage opens
 * anyway, every call answers `unavailable` (503) while it tries the migration again, and it recovers by
 * itself (`migrationPending` says so meanwhile). Once open, database trouble is a per-call StorageFault.
 */
export const openSqlStorage = async (url: string, options: SqlStorageOptions = {}): Promise<SqlStorage> => {
  const opened = openDatabase(url, options);
  if (isLeft(opened)) throw new Error(opened.left);
  const { db, dialect, queries, poolStats } = opened.right;
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      // A SQLite file that cannot be opened is a wrong path, not an outage.
      if (dialect !== 'sqlite' && isOutage(error)) return new SqlStorage(db, dialect, queries, pendingMigration(db), poolStats);
      await db.destroy();
      throw error;
    }
  }
  return new SqlStorage(db, dialect, queries, undefined, poolStats);
};
