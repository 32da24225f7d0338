import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Dataset } from '@os-hypervisors/core';
import { isLeft } from 'fp-ts/lib/Either.js';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { describe, it } from 'vitest';
import { importDataset, openSqlStorage, type SqlStorage, type SqlStorageOptions } from '@os-hypervisors/storage-sql';
import type { MakeStorage } from '../../../storage-memory/test/contract/storage-contract.js';

/**
 * The database servers tests run against. Each test database gets a unique name and is dropped after.
 * PostgreSQL and MariaDB default to this machine kind's servers; override with the env variables.
 */
export type ServerKind = 'sqlite' | 'postgres' | 'mariadb';

const ADMIN_URLS = {
  postgres: process.env.OSH_TEST_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
  mariadb: process.env.OSH_TEST_MYSQL_URL ?? 'mysql://root@127.0.0.1:3306/',
} as const;

export interface TestDatabase {
  readonly url: string;
  drop(): Promise<void>;
}

export interface TestServer {
  readonly kind: ServerKind;
  /** The server's address, e.g. for a proxy in front of it. */
  readonly host: string;
  readonly port: number;
  createDatabase(): Promise<TestDatabase>;
}

let sequence = 0;
const uniqueName = (): string => `osh_test_${process.pid}_${Date.now().toString(36)}_${sequence++}`;

/** The admin URL with another database name. */
const withDatabase = (adminUrl: string, name: string): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return url.toString();
};

interface AdminStatements {
  create(name: string): string;
  drop(name: string): string;
}

/** A database server reached through an admin URL: `admin` runs one statement on a fresh connection. */
const networkServer = (kind: ServerKind, adminUrl: string, defaultPort: number, admin: (statement: string) => Promise<void>, statements: AdminStatements): TestServer => {
  const { hostname, port } = new URL(adminUrl);
  return {
    kind, host: hostname, port: Number(port || defaultPort),
    createDatabase: async () => {
      const name = uniqueName();
      await admin(statements.create(name));
      return { url: withDatabase(adminUrl, name), drop: () => admin(statements.drop(name)) };
    },
  };
};

const postgres = (adminUrl: string): TestServer =>
  networkServer('postgres', adminUrl, 5432, async (statement) => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      await client.query(statement);
    } finally {
      await client.end();
    }
  }, {
    create: (name) => `create database "${name}"`,
    // FORCE: a test that failed half-way may have left a connection open.
    drop: (name) => `drop database if exists "${name}" with (force)`,
  });

const mariadb = (adminUrl: string): TestServer =>
  networkServer('mariadb', adminUrl, 3306, async (statement) => {
    const connection = await mysql.createConnection({ uri: adminUrl, connectTimeout: 3000 });
    try {
      await connection.query(statement);
    } finally {
      await connection.end();
    }
  }, {
    create: (name) => `create database \`${name}\` character set utf8mb4`,
    drop: (name) => `drop database if exists \`${name}\``,
  });

/** A file (not :memory:), so that several connections and the WAL journal are exercised as in production. */
const sqlite: TestServer = {
  kind: 'sqlite', host: '', port: 0,
  createDatabase: async () => {
    const file = join(tmpdir(), `${uniqueName()}.sqlite`);
    return { url: `sqlite:${file}`, drop: () => Promise.all(['', '-wal', '-shm'].map((suffix) => rm(`${file}${suffix}`, { force: true }))).then(() => {}) };
  },
};

/** The server if it answers, else why not. */
export const probeServer = async (kind: ServerKind): Promise<TestServer | { unavailable: string }> => {
  if (kind === 'sqlite') return sqlite;
  const server = kind === 'postgres' ? postgres(ADMIN_URLS.postgres) : mariadb(ADMIN_URLS.mariadb);
  try {
    const probe = await server.createDatabase();
    await probe.drop();
    return server;
  } catch (error) {
    return { unavailable: `${kind} at ${server.host}:${server.port} is unreachable (${error instanceof Error ? error.message : String(error)})` };
  }
};

/**
 * Runs `body` against the server, or — when it cannot be reached — fails if `OSH_REQUIRE_DB=1` (CI)
 * and otherwise skips with the reason in the test name.
 */
export const describeOnServer = async (kind: ServerKind, body: (server: TestServer) => void): Promise<void> => {
  const server = await probeServer(kind);
  if (!('unavailable' in server)) {
    body(server);
    return;
  }
  if (process.env.OSH_REQUIRE_DB === '1') {
    describe(kind, () => {
      it('has its database server (OSH_REQUIRE_DB=1)', () => {
        throw new Error(server.unavailable);
      });
    });
    return;
  }
  console.warn(`skipping ${kind} tests: ${server.unavailable}; set OSH_REQUIRE_DB=1 to fail instead`);
  describe.skip(`${kind} (skipped: ${server.unavailable})`, () => {
    it('needs the database server', () => {});
  });
};

/** A SqlStorage over a fresh database on `server`, holding `dataset`. */
export const openImported = async (server: TestServer, dataset: Dataset, options: SqlStorageOptions = {}): Promise<{ storage: SqlStorage; database: TestDatabase; close(): Promise<void> }> => {
  const database = await server.createDatabase();
  const storage = await openSqlStorage(database.url, options);
  const imported = await importDataset(storage.db, dataset);
  if (isLeft(imported)) {
    await storage.close();
    await database.drop();
    throw new Error(`import failed: ${imported.left}`);
  }
  return {
    storage,
    database,
    close: async () => {
      await storage.close();
      await database.drop();
    },
  };
};

/** The contract suite's factory for a server. */
export const sqlStorageFactory = (server: TestServer): MakeStorage => async (dataset) => openImported(server, dataset);
