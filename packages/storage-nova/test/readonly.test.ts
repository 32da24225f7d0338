import { openNovaStorage, type NovaStorage } from '@os-hypervisors/storage-nova';
import { buildNovaDatabases, type NovaDatabases } from '@os-hypervisors/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET } from '../../server/test/differential/dataset.js';
import { TcpProxy } from '../../storage-sql/test/support/tcp-proxy.js';
import { getAt, handlerOver, hypervisorsOf } from './support/handler.js';
import { skipServer } from './support/nova-fixture.js';

/**
 * MariaDB (what clouds run) and PostgreSQL: Nova's databases built by Nova's migrations on the loopback
 * server, read by a user that may only SELECT (the cells' URLs overridden to that user, as
 * `--nova-cell-db` does), and a cell whose server stops answering (a TCP proxy in front of it is shut).
 */
const PORTS = { mariadb: 3306, postgres: 5432 } as const;
describe.each(['mariadb', 'postgres'] as const)("Nova's databases on %s, through a read-only user", (dialect) => {
  if (skipServer(dialect)) {
    it.skip(`${dialect} or Nova is not available here`, () => {});
    return;
  }
  let dbs: NovaDatabases;
  let storage: NovaStorage;
  let proxy: TcpProxy;
  beforeAll(async () => {
    dbs = await buildNovaDatabases({ dialect, dataset: DATASET, readOnlyUser: true });
    const ro = dbs.readOnlyUser!;
    proxy = await TcpProxy.start({ host: '127.0.0.1', port: PORTS[dialect] });
    // cell2 reached through the proxy, as a cell seen at another address from this host.
    const cell2 = ro.sqlalchemyUrls.cell2.replace(`127.0.0.1:${PORTS[dialect]}`, `127.0.0.1:${proxy.port}`);
    expect(cell2).toContain(`:${proxy.port}/`);
    storage = await openNovaStorage(
      { apiDatabase: ro.sqlalchemyUrls.api, cellUrls: new Map([['cell1', ro.sqlalchemyUrls.cell1], ['cell2', cell2]]) },
      { acquireTimeoutMs: 1000 },
    );
  }, 180_000);
  afterAll(async () => {
    await storage?.close();
    await proxy?.close();
    await dbs?.drop();
  });

  it('serves every route through the read-only user alone', async () => {
    const handler = handlerOver(storage);
    const list = await getAt(handler, '2.53', 'os-hypervisors/detail?with_servers=true');
    expect(list.status).toBe(200);
    expect(hypervisorsOf(list).length).toBeGreaterThan(3);
    expect((await getAt(handler, '2.1', 'os-hypervisors/statistics')).status).toBe(200);
    expect((await getAt(handler, '2.1', 'os-aggregates')).status).toBe(200);
    expect((await getAt(handler, '2.1', 'os-hypervisors/hyper/search')).status).not.toBe(500);
    // Every pool this storage opened logs in as the read-only user.
    const user = dbs.readOnlyUser!.user;
    for (const url of storage.cells.urls) expect(new URL(url).username).toBe(user);
  });

  it('a start-up with a wrong password fails without printing it', async () => {
    // An unknown user with a password (the loopback PostgreSQL trusts any password of a known role).
    const wrong = dbs.readOnlyUser!.sqlalchemyUrls.api.replace(/\/\/[^:@/]+:([^:@/]+)@/, '//nobody_4711:not-the-password-4711@');
    expect(wrong).toContain('nobody_4711:not-the-password-4711@');
    await expect(openNovaStorage({ apiDatabase: wrong })).rejects.toThrow(/cannot be read: (Access denied|role "nobody_4711" does not exist|password authentication failed)/);
    await openNovaStorage({ apiDatabase: wrong }).catch((e: Error) => {
      expect(e.message).not.toContain('not-the-password-4711');
      expect(e.message).toContain(':****@');
    });
  });

  it('a cell whose server is gone: 503 for what needs it, then back by itself', async () => {
    const handler = handlerOver(storage);
    const before = hypervisorsOf(await getAt(handler, '2.53', 'os-hypervisors')).map((h) => h.id);
    await proxy.refuse();
    const down = await getAt(handler, '2.53', 'os-hypervisors');
    expect(down.body).toEqual({ serviceUnavailable: { code: 503, message: 'The hypervisor database is unavailable. Please try again later.' } });
    // Nova's fault message would name the database: ours never carries a password anywhere.
    expect(JSON.stringify(down.raw)).not.toContain(dbs.readOnlyUser!.password);
    await proxy.restore();
    expect(hypervisorsOf(await getAt(handler, '2.53', 'os-hypervisors')).map((h) => h.id)).toEqual(before);
  });
});
