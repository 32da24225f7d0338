import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ALL_VISIBLE } from '@os-hypervisors/core';
import { openSqlStorage, type SqlStorage } from '@os-hypervisors/storage-sql';
import { describeOnServer, type ServerKind, type TestDatabase } from './support/test-servers.js';

// What the metrics' pool gauges read: the driver's own counts, at the moment asked.
for (const kind of ['postgres', 'mariadb'] as const satisfies ReadonlyArray<ServerKind>) {
  await describeOnServer(kind, (server) => {
    describe(`poolStats: ${kind}`, () => {
      let database: TestDatabase;
      let storage: SqlStorage;
      beforeAll(async () => {
        database = await server.createDatabase();
        storage = await openSqlStorage(database.url, { poolSize: 3 });
      });
      afterAll(async () => {
        await storage?.close();
        await database?.drop();
      });

      it('counts open, idle and waiting connections against the pool size', async () => {
        expect(storage.poolStats()).toMatchObject({ max: 3, waiting: 0 });
        // Five concurrent calls on three connections: all three open, and back idle afterwards.
        const answers = await Promise.all(Array.from({ length: 5 }, () => storage.listNodes({ visibility: ALL_VISIBLE })()));
        expect(answers.every((a) => a._tag === 'Right')).toBe(true);
        const after = storage.poolStats()!;
        expect(after.total).toBeGreaterThanOrEqual(1);
        expect(after.total).toBeLessThanOrEqual(3);
        expect(after.idle).toBe(after.total);
        expect(after.waiting).toBe(0);
      });

      it('sees a caller wait while every connection is busy', async () => {
        const { sql } = await import('kysely');
        // Polled, not timed: on a loaded machine opening connections may take a while.
        const until = async (ok: (s: NonNullable<ReturnType<SqlStorage['poolStats']>>) => boolean) => {
          for (let i = 0; i < 100 && !ok(storage.poolStats()!); i += 1) await new Promise((r) => setTimeout(r, 20));
          return storage.poolStats()!;
        };
        const sleep = kind === 'postgres' ? 'select pg_sleep(2)' : 'select sleep(2)';
        const busy = Array.from({ length: 3 }, () => sql.raw(sleep).execute(storage.db));
        // A caller whose connection is still being opened counts as waiting (mysql2), so wait for all three to run.
        expect(await until((s) => s.total === 3 && s.idle === 0 && s.waiting === 0)).toMatchObject({ total: 3, idle: 0, waiting: 0 });
        const waiter = storage.listNodes({ visibility: ALL_VISIBLE })();
        expect((await until((s) => s.waiting > 0)).waiting).toBe(1);
        await Promise.all([...busy, waiter]);
        expect(storage.poolStats()).toMatchObject({ idle: 3, waiting: 0 });
      });
    });
  });
}

describe('poolStats: sqlite', () => {
  it('is null: one connection, no pool', async () => {
    const storage = await openSqlStorage('sqlite::memory:');
    try {
      expect(storage.poolStats()).toBeNull();
    } finally {
      await storage.close();
    }
  });
});
