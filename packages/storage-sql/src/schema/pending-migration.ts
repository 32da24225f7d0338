import type { Kysely } from 'kysely';
import { migrateToLatest } from './migrations.js';
import type { OshDatabase } from './tables.js';

/** A schema migration put off by a database outage at start-up, retried by the calls that need it. */
export interface PendingMigration {
  readonly done: boolean;
  /** Resolves once the schema is migrated; rejects (with the database's error) while it cannot be. */
  ready(): Promise<void>;
}

/**
 * Retries the migration on use until it succeeds, one attempt at a time (concurrent calls share it), so a
 * replica started while its database is down answers 503 and recovers by itself when it returns.
 */
export const pendingMigration = (db: Kysely<OshDatabase>): PendingMigration => {
  let done = false;
  let attempt: Promise<void> | null = null;
  return {
    get done() {
      return done;
    },
    ready: async () => {
      if (done) return;
      attempt ??= migrateToLatest(db).then(() => {
        done = true;
      }).finally(() => {
        attempt = null;
      });
      await attempt;
    },
  };
};
