import type { StorageFault } from '@os-hypervisors/core';
import { openSqlStorage, type SqlStorage } from '@os-hypervisors/storage-sql';
import type { Either } from 'fp-ts/lib/Either.js';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_DATASET } from '../../storage-memory/test/contract/contract-fixture.js';
import { getAt, handlerOver } from './support/handler.js';
import { TcpProxy } from './support/tcp-proxy.js';
import { describeOnServer, openImported, type ServerKind } from './support/test-servers.js';

const QUERY_TIMEOUT_MS = 400;
const ACQUIRE_TIMEOUT_MS = 400;
/** A fault must arrive within its timeout plus this much (event loop, teardown, a busy CI machine). */
const SLACK_MS = 1500;

const ALL = { kind: 'all' } as const;

/** The call's result and how long it took. */
const timed = async <A>(call: () => Promise<Either<StorageFault, A>>): Promise<{ result: Either<StorageFault, A>; ms: number }> => {
  const started = performance.now();
  const result = await call();
  return { result, ms: performance.now() - started };
};

const faultKind = (result: Either<StorageFault, unknown>): string => (result._tag === 'Left' ? result.left.kind : 'no fault');

for (const kind of ['postgres', 'mariadb'] as const satisfies ReadonlyArray<ServerKind>) {
  await describeOnServer(kind, (server) => {
    describe(`faults: ${kind} behind a TCP proxy`, () => {
      let seeded: Awaited<ReturnType<typeof openImported>>;
      let proxy: TcpProxy;
      let storage: SqlStorage;
      let viaProxyUrl: string;

      beforeAll(async () => {
        seeded = await openImported(server, CONTRACT_DATASET);
        proxy = await TcpProxy.start({ host: server.host, port: server.port });
        const viaProxy = new URL(seeded.database.url);
        viaProxy.hostname = '127.0.0.1';
        viaProxy.port = String(proxy.port);
        viaProxyUrl = viaProxy.toString();
        storage = await openSqlStorage(viaProxyUrl, { queryTimeoutMs: QUERY_TIMEOUT_MS, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS, poolSize: 2, migrate: false });
      });
      afterAll(async () => {
        await storage?.close();
        await proxy?.close();
        await seeded?.close();
      });

      const healthy = async () => {
        const { result } = await timed(storage.listNodes({ visibility: ALL }));
        expect(faultKind(result)).toBe('no fault');
        expect(result._tag === 'Right' && result.right.length).toBe(11);
      };

      it('answers through the proxy', healthy);

      it('a network that stalls mid-request is a timeout (500) within the query timeout; then no connection in time is unavailable (503)', async () => {
        await healthy(); // a pooled connection is open
        proxy.stall();
        const stalledQuery = await timed(storage.listNodes({ visibility: ALL }));
        expect(faultKind(stalledQuery.result)).toBe('timeout');
        expect(stalledQuery.ms).toBeLessThan(QUERY_TIMEOUT_MS + SLACK_MS);
        // The stalled connection was thrown away; a new one cannot be opened through the stall.
        const stalledConnect = await timed(storage.findNodeById(1, ALL));
        expect(faultKind(stalledConnect.result)).toBe('unavailable');
        expect(stalledConnect.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + SLACK_MS);
      });

      it('recovers by itself once the network is back', async () => {
        await proxy.restore();
        await healthy();
      });

      it('a connection dropped mid-request is unavailable (503), at once', async () => {
        await healthy();
        proxy.dropNextRequest();
        const dropped = await timed(storage.statistics(ALL));
        expect(faultKind(dropped.result)).toBe('unavailable');
        expect(dropped.ms).toBeLessThan(SLACK_MS);
        await healthy();
      });

      it('a refused connection is unavailable (503), and the API answers with Nova\'s fault body', async () => {
        await proxy.refuse();
        const refused = await timed(storage.listAggregates());
        expect(faultKind(refused.result)).toBe('unavailable');
        expect(refused.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + SLACK_MS);
        const response = await getAt(handlerOver(storage), '2.53', 'os-hypervisors/detail');
        expect(response.status).toBe(503);
        expect(JSON.parse(response.body)).toEqual({
          serviceUnavailable: { code: 503, message: 'The hypervisor database is unavailable. Please try again later.' },
        });
      });

      it('a stalled request through the API is a 500 computeFault, never a partial body', async () => {
        await proxy.restore();
        await healthy();
        proxy.stall();
        const response = await getAt(handlerOver(storage), '2.53', 'os-hypervisors/detail');
        expect(response.status).toBe(500);
        expect(Object.keys(JSON.parse(response.body) as object)).toEqual(['computeFault']);
      });

      it('a full pool is unavailable (503) after the acquire timeout, then serves again', async () => {
        const single = await openSqlStorage(seeded.database.url, { poolSize: 1, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS, migrate: false });
        try {
          let letGo = (): void => {};
          const held = single.db.connection().execute(() => new Promise<void>((resolve) => (letGo = resolve)));
          const waited = await timed(single.findNodeById(1, ALL));
          expect(faultKind(waited.result)).toBe('unavailable');
          expect(waited.ms).toBeGreaterThanOrEqual(ACQUIRE_TIMEOUT_MS - 50);
          expect(waited.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + SLACK_MS);
          letGo();
          await held;
          expect(faultKind(await single.findNodeById(1, ALL)())).toBe('no fault');
        } finally {
          await single.close();
        }
      });

      it('the server bounds statements too, so one the client gave up on does not run on', async () => {
        const direct = await openSqlStorage(seeded.database.url, { queryTimeoutMs: 1500, migrate: false });
        try {
          const limit = kind === 'postgres'
            ? String((await sql<{ statement_timeout: string }>`SHOW statement_timeout`.execute(direct.db)).rows[0]?.statement_timeout)
            : String((await sql<{ t: string | number }>`SELECT @@SESSION.max_statement_time AS t`.execute(direct.db)).rows[0]?.t);
          expect(kind === 'postgres' ? limit : Number(limit)).toBe(kind === 'postgres' ? '1500ms' : 1.5);
        } finally {
          await direct.close();
        }
      });

      it('a database down at start-up: the storage opens anyway, answers unavailable (503), and migrates once it is back', async () => {
        await proxy.refuse();
        const late = await openSqlStorage(viaProxyUrl, { queryTimeoutMs: QUERY_TIMEOUT_MS, acquireTimeoutMs: ACQUIRE_TIMEOUT_MS, poolSize: 2 });
        try {
          expect(late.migrationPending).toBe(true);
          const down = await timed(late.listNodes({ visibility: ALL }));
          expect(faultKind(down.result)).toBe('unavailable');
          expect(down.ms).toBeLessThan(ACQUIRE_TIMEOUT_MS + SLACK_MS);
          await proxy.restore();
          const back = await late.listNodes({ visibility: ALL })();
          expect(faultKind(back)).toBe('no fault');
          expect(late.migrationPending).toBe(false);
        } finally {
          await late.close();
        }
      });

      it('a login the server refuses is a start-up error, not an outage', async () => {
        const wrong = new URL(seeded.database.url);
        wrong.username = 'osh_no_such_user';
        wrong.password = 'wrong';
        await expect(openSqlStorage(wrong.toString(), { acquireTimeoutMs: 2000 })).rejects.toThrow();
      });

      it('recovers after the server comes back, with no restart', async () => {
        await proxy.refuse();
        await proxy.restore();
        await healthy();
        const response = await getAt(handlerOver(storage), '2.53', 'os-hypervisors/detail');
        expect(response.status).toBe(200);
      });
    });
  });
}

describe('faults: sqlite', () => {
  it('a database file that cannot be opened is unavailable', async () => {
    const storage = await openSqlStorage('sqlite:/nonexistent-dir/osh.db', { migrate: false });
    try {
      const result = await storage.listNodes({ visibility: ALL })();
      expect(faultKind(result)).toBe('unavailable');
    } finally {
      await storage.close().catch(() => {});
    }
  });

  it('a file that cannot be opened is a start-up error when migrating (a wrong path, not an outage)', async () => {
    await expect(openSqlStorage('sqlite:/nonexistent-dir/osh.db')).rejects.toThrow();
  });

  it('a database without the schema is failed (500), not a crash', async () => {
    const storage = await openSqlStorage('sqlite::memory:', { migrate: false });
    try {
      expect(faultKind(await storage.statistics(ALL)())).toBe('failed');
    } finally {
      await storage.close();
    }
  });
});
