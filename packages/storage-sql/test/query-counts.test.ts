import type { Visibility } from '@os-hypervisors/core';
import type { SqlStorage } from '@os-hypervisors/storage-sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAt, handlerOver } from './support/handler.js';
import { scaledDataset } from './support/scaled-dataset.js';
import { describeOnServer, openImported, type ServerKind } from './support/test-servers.js';

const NODES = 120;
/** instancesByHosts sends one query per this many hosts (the README's figure). */
const HOSTS_PER_QUERY = 500;
/** `host1` … `host<n>`; hosts past NODES have no node and no servers. */
const hostNames = (n: number): string[] => Array.from({ length: n }, (_, i) => `host${i + 1}`);
const ALL: Visibility = { kind: 'all' };
const P1: Visibility = { kind: 'project', projectId: 'p1', includeUnrestricted: true };

/** Statements one call sends, whatever the data's size. */
const counted = async (storage: SqlStorage, call: () => Promise<unknown>): Promise<number> => {
  storage.queries.reset();
  await call();
  return storage.queries.count;
};

for (const kind of ['sqlite', 'postgres', 'mariadb'] as const satisfies ReadonlyArray<ServerKind>) {
  await describeOnServer(kind, (server) => {
    describe(`query counts: ${kind}`, () => {
      let subject: Awaited<ReturnType<typeof openImported>>;
      beforeAll(async () => {
        subject = await openImported(server, scaledDataset(NODES));
      });
      afterAll(() => subject?.close());

      it.each([
        ['listNodes, a page of 1', 1, (s: SqlStorage) => s.listNodes({ visibility: ALL, limit: 1 })()],
        ['listNodes, every node', 1, (s: SqlStorage) => s.listNodes({ visibility: ALL })()],
        ['listNodes under project visibility', 1, (s: SqlStorage) => s.listNodes({ visibility: P1, afterId: 10, limit: 50 })()],
        ['findNodeById', 1, (s: SqlStorage) => s.findNodeById(7, P1)()],
        ['findNodeByUuid', 1, (s: SqlStorage) => s.findNodeByUuid('c0de0000-0000-4000-8000-000000000007', ALL)()],
        ['searchNodes', 1, (s: SqlStorage) => s.searchNodes('node1', P1)()],
        ['instancesByHosts, every host', 1, (s: SqlStorage) => s.instancesByHosts(hostNames(NODES))()],
        ['instancesByHosts, 500 hosts', 1, (s: SqlStorage) => s.instancesByHosts(hostNames(HOSTS_PER_QUERY))()],
        ['instancesByHosts, 1,001 hosts', 3, (s: SqlStorage) => s.instancesByHosts(hostNames(2 * HOSTS_PER_QUERY + 1))()],
        ['instancesByHosts, no host', 0, (s: SqlStorage) => s.instancesByHosts([])()],
        ['statistics', 1, (s: SqlStorage) => s.statistics(P1)()],
        ['listAggregates', 3, (s: SqlStorage) => s.listAggregates()()],
        ['findAggregate', 3, (s: SqlStorage) => s.findAggregate(1)()],
        ['findAggregate, missing', 1, (s: SqlStorage) => s.findAggregate(99)()],
      ] as const)('%s: %i queries', async (_label, expected, call) => {
        expect(await counted(subject.storage, () => call(subject.storage))).toBe(expected);
      });

      it('instancesByHosts over more hosts than a statement may bind (SQLite 32,766, PostgreSQL 65,535) answers in ceil(hosts / 500) queries', async () => {
        const expected = await subject.storage.instancesByHosts(hostNames(NODES))();
        subject.storage.queries.reset();
        const found = await subject.storage.instancesByHosts(hostNames(70_000))();
        expect(found).toEqual(expected);
        expect(subject.storage.queries.count).toBe(Math.ceil(70_000 / HOSTS_PER_QUERY));
        expect(found._tag === 'Right' && [...found.right.values()].flat()).toHaveLength(2 * NODES);
      });

      it('a page of detail with servers costs the same two queries for 1 node and for 100', async () => {
        const handler = handlerOver(subject.storage);
        for (const limit of [1, 100]) {
          subject.storage.queries.reset();
          const response = await getAt(handler, '2.53', `os-hypervisors/detail?with_servers=true&limit=${limit}`);
          expect(response.status).toBe(200);
          expect((JSON.parse(response.body) as { hypervisors: Array<{ servers: unknown[] }> }).hypervisors).toHaveLength(limit);
          expect(subject.storage.queries.sql).toHaveLength(2); // the page, then every host's servers
        }
      });

      it('a paged list by marker costs the marker lookup plus the page', async () => {
        const handler = handlerOver(subject.storage);
        subject.storage.queries.reset();
        const response = await getAt(handler, '2.53', 'os-hypervisors?limit=50&marker=c0de0000-0000-4000-8000-000000000010');
        expect(response.status).toBe(200);
        expect(subject.storage.queries.count).toBe(2);
      });
    });
  });
}
