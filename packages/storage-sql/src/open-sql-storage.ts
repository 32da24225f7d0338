import { isLeft } from 'fp-ts/lib/Either.js';
import { openDatabase } from './connection/open-database.js';
import type { SqlStorageOptions } from './connection/options.js';
import { migrateToLatest } from './schema/migrations.js';
import { SqlStorage } from './sql-storage.js';

/**
 * A SqlStorage for `postgres://…`, `mysql://…`, `sqlite:FILE` or `sqlite::memory:`, with the schema
 * migrated unless `migrate: false`. Rejects on a bad URL or a failed migration (a start-up error, which
 * an operator must see); once open, database trouble is a per-call StorageFault instead.
 */
export const openSqlStorage = async (url: string, options: SqlStorageOptions = {}): Promise<SqlStorage> => {
  const opened = openDatabase(url, options);
  if (isLeft(opened)) throw new Error(opened.left);
  const { db, dialect, queries } = opened.right;
  if (options.migrate ?? true) {
    try {
      await migrateToLatest(db);
    } catch (error) {
      await db.destroy();
      throw error;
    }
  }
  return new SqlStorage(db, dialect, queries);
};
