import {
  Kysely,
  MysqlAdapter,
  MysqlIntrospector,
  MysqlQueryCompiler,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  SqliteAdapter,
  SqliteIntrospector,
  SqliteQueryCompiler,
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type QueryResult,
} from 'kysely';
import { describe, expect, it } from 'vitest';
import { MIGRATIONS } from '../src/schema/migrations.js';

/**
 * What each applied migration sent, per dialect, compiled by kysely's own compilers with no server. The
 * snapshots are the migration as databases already ran it: if this test fails, a change (usually to
 * `tables.ts`) altered an applied migration — put it in a new migration instead.
 */

/** Answers MySQL's collation lookup as MariaDB does; every other statement is only recorded. */
const recordingConnection = (statements: string[]): DatabaseConnection => ({
  executeQuery: async <R>(query: CompiledQuery): Promise<QueryResult<R>> => {
    statements.push(query.parameters.length === 0 ? query.sql : `${query.sql} -- ${JSON.stringify(query.parameters)}`);
    return { rows: (query.sql.startsWith('show collation') ? [{ Collation: 'utf8mb4_nopad_bin' }] : []) as R[] };
  },
  streamQuery: () => {
    throw new Error('not used by migrations');
  },
});

const recordingDriver = (statements: string[]): Driver => {
  const connection = recordingConnection(statements);
  return {
    init: async () => {},
    acquireConnection: async () => connection,
    beginTransaction: async () => {},
    commitTransaction: async () => {},
    rollbackTransaction: async () => {},
    releaseConnection: async () => {},
    destroy: async () => {},
  };
};

const DIALECTS = {
  postgres: (driver: Driver): Dialect => ({
    createAdapter: () => new PostgresAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new PostgresQueryCompiler(),
    createIntrospector: (db) => new PostgresIntrospector(db),
  }),
  mysql: (driver: Driver): Dialect => ({
    createAdapter: () => new MysqlAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new MysqlQueryCompiler(),
    createIntrospector: (db) => new MysqlIntrospector(db),
  }),
  sqlite: (driver: Driver): Dialect => ({
    createAdapter: () => new SqliteAdapter(),
    createDriver: () => driver,
    createQueryCompiler: () => new SqliteQueryCompiler(),
    createIntrospector: (db) => new SqliteIntrospector(db),
  }),
} as const;

describe('migration DDL', () => {
  for (const [name, migration] of Object.entries(MIGRATIONS)) {
    it.each(Object.keys(DIALECTS) as Array<keyof typeof DIALECTS>)(`${name} on %s is unchanged`, async (dialect) => {
      const statements: string[] = [];
      const db = new Kysely<unknown>({ dialect: DIALECTS[dialect](recordingDriver(statements)) });
      await migration.up(db);
      await db.destroy();
      await expect(`${statements.join(';\n')};\n`).toMatchFileSnapshot(`./migration-ddl/${name}.${dialect}.sql`);
    });
  }
});
