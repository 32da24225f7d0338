import type { Visibility } from '@os-hypervisors/core';
import type { SqlStorage } from '@os-hypervisors/storage-sql';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAt, handlerOver } from './support/handler.js';
import { scaledDataset } from './support/scaled-dataset.js';
import { describeOnServer, openImported, type ServerKind } from './support/test-servers.js';

const NODES = 120;
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
        ['listNodes, a page of 1', (s: SqlStorage) => s.listNodes({ visibility: ALL, limit: 1 })(), 1],
        ['listNodes, every node', (s: SqlStorage) => s.listNodes({ visibility: ALL })(), 1],
        ['listNodes under project visibility', (s: SqlStorage) => s.listNodes({ visibility: P1, afterId: 10, limit: 50 })(), 1],
        ['findNodeById', (s: SqlStorage) => s.findNodeById(7, P1)(), 1],
        ['findNodeByUuid', (s: SqlStorage) => s.findNodeByUuid('c0de0000-0000-4000-8000-000000000007', ALL)(), 1],
        ['searchNodes', (s: SqlStorage) => s.searchNodes('node1', P1)(), 1],
        ['instancesByHosts, every host', (s: SqlStorage) => s.instancesByHosts(Array.from({ length: NODES }, (_, i) => `host${i + 1}`))(), 1],
        ['instancesByHosts, no host', (s: SqlStorage) => s.instancesByHosts([])(), 0],
        ['statistics', (s: SqlStorage) => s.statistics(P1)(), 1],
        ['listAggregates', (s: SqlStorage) => s.listAggregates()(), 3],
        ['findAggregate', (s: SqlStorage) => s.findAggregate(1)(), 3],
        ['findAggregate, missing', (s: SqlStorage) => s.findAggregate(99)(), 1],
      ] as const)('%s: %i queries', async (_label, call, expected) => {
        expect(await counted(subject.storage, () => call(subject.storage))).toBe(expected);
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
