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

/** The database URL with another database name (and, for a proxy, another port). */
export const withDatabase = (adminUrl: string, name: string, port?: number): string => {
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  if (port !== undefined) url.port = String(port);
  return url.toString();
};

const postgres = (adminUrl: string): TestServer => {
  const admin = async <T>(work: (client: pg.Client) => Promise<T>): Promise<T> => {
    const client = new pg.Client({ connectionString: adminUrl, connectionTimeoutMillis: 3000 });
    await client.connect();
    try {
      return await work(client);
    } finally {
      await client.end();
    }
  };
  const { hostname, port } = new URL(adminUrl);
  return {
    kind: 'postgres', host: hostname, port: Number(port || 5432),
    createDatabase: async () => {
      const name = uniqueName();
      await admin((c) => c.query(`create database "${name}"`));
      return { url: withDatabase(adminUrl, name), drop: () => admin((c) => c.query(`drop database if exists "${name}" with (force)`)).then(() => {}) };
    },
  };
};

const mariadb = (adminUrl: string): TestServer => {
  const admin = async <T>(work: (connection: mysql.Connection) => Promise<T>): Promise<T> => {
    const connection = await mysql.createConnection({ uri: adminUrl, connectTimeout: 3000 });
    try {
      return await work(connection);
    } finally {
      await connection.end();
    }
  };
  const { hostname, port } = new URL(adminUrl);
  return {
    kind: 'mariadb', host: hostname, port: Number(port || 3306),
    createDatabase: async () => {
      const name = uniqueName();
      await admin((c) => c.query(`create database \`${name}\` character set utf8mb4`));
      return { url: withDatabase(adminUrl, name), drop: () => admin((c) => c.query(`drop database if exists \`${name}\``)).then(() => {}) };
    },
  };
};

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
