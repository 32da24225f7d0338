import type { Either } from 'fp-ts/lib/Either.js';
import { map } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { Kysely, MysqlDialect, PostgresDialect, SqliteDialect, type Dialect } from 'kysely';
import type { OshDatabase } from '../schema/tables.js';
import { parseConnectionUrl, type ConnectionTarget, type SqlDialectName } from './connection-url.js';
import { createMysqlPool } from './mysql-pool.js';
import { poolLimits, type SqlStorageOptions } from './options.js';
import type { PoolStats } from './pool-limits.js';
import { createPostgresPool } from './postgres-pool.js';
import { QueryCounter } from './query-counter.js';
import { openSqliteDatabase } from './sqlite-database.js';

export interface OpenedDatabase<DB = OshDatabase> {
  readonly db: Kysely<DB>;
  readonly dialect: SqlDialectName;
  readonly queries: QueryCounter;
  /** The connection pool's occupancy now; null for SQLite (one connection, no pool). */
  readonly poolStats: () => PoolStats | null;
}

const noPool = (): null => null;

const dialectFor = (target: ConnectionTarget, options: SqlStorageOptions): { dialect: Dialect; poolStats: () => PoolStats | null } => {
  const limits = poolLimits(options);
  switch (target.dialect) {
    case 'postgres': {
      const { pool, stats } = createPostgresPool(target.connectionString, limits);
      return { dialect: new PostgresDialect({ pool }), poolStats: stats };
    }
    case 'mysql': {
      const { pool, stats } = createMysqlPool(target.uri, limits);
      return { dialect: new MysqlDialect({ pool }), poolStats: stats };
    }
    case 'sqlite':
      // Opened lazily by kysely, so a bad path is a fault of the first call, as with the servers.
      return { dialect: new SqliteDialect({ database: async () => openSqliteDatabase(target.filename, limits.queryTimeoutMs) }), poolStats: noPool };
  }
};

/**
 * A kysely instance for the URL, over this package's schema or any other (`DB`, e.g. Nova's own tables).
 * Nothing connects yet: pools connect on first use.
 */
export const openDatabase = <DB = OshDatabase>(url: string, options: SqlStorageOptions = {}): Either<string, OpenedDatabase<DB>> =>
  pipe(
    parseConnectionUrl(url),
    map((target) => {
      const queries = new QueryCounter();
      const { dialect, poolStats } = dialectFor(target, options);
      const db = new Kysely<DB>({ dialect, log: queries.record });
      return { db, dialect: target.dialect, queries, poolStats };
    }),
  );
