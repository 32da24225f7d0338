import type { Dataset } from '@os-hypervisors/core';
import { openNovaStorage } from '@os-hypervisors/storage-nova';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getAt, handlerOver, hypervisorsOf } from './support/handler.js';
import { novaOver, SKIP_NOVA, type NovaUnderTest } from './support/nova-fixture.js';

/**
 * Nova's multi-cell behaviour, on databases Nova built (two cells, cell0, an API database) and Nova's
 * objects filled: cell order, per-cell integer ids, markers across cells, host mappings, a cell that is
 * down, soft deletes, and changes made between two requests.
 */
const uuid = (n: number) => `c0de0000-0000-4000-8000-${String(n).padStart(12, '0')}`;
const node = (n: number, id: number, host: string, fields: Partial<Dataset['compute_nodes'][number]> = {}): Dataset['compute_nodes'][number] => ({
  id, uuid: uuid(n), host, hypervisor_hostname: `${host}-node${n}.example`, hypervisor_type: 'QEMU', hypervisor_version: 6002000,
  cpu_info: '{}', vcpus: n, memory_mb: 1024, local_gb: 10, vcpus_used: 1, memory_mb_used: 512, local_gb_used: 1, deleted: 0, ...fields,
});
const service = (id: number, host: string, fields: Partial<Dataset['services'][number]> = {}): Dataset['services'][number] => ({
  id, uuid: `5e7c0000-0000-4000-8000-${String(id).padStart(12, '0')}`, host, binary: 'nova-compute', topic: 'compute',
  disabled: false, forced_down: false, last_seen_up: '2026-11-22T11:59:50', created_at: '2026-11-01T00:00:00', deleted: 0, ...fields,
});

const CELL_OF: Record<string, 'cell1' | 'cell2' | null> = { a1: 'cell1', a2: 'cell1', lost: null, b1: 'cell2', b2: 'cell2' };
/** Node ids repeat across cells (1 is in both), as they do in a real multi-cell Nova. */
const DATASET: Dataset = {
  services: [service(1, 'a1'), service(2, 'a2'), service(3, 'lost'), service(11, 'b1'), service(12, 'b2')],
  compute_nodes: [
    node(1, 1, 'a1'), node(2, 2, 'a2'), node(3, 3, 'lost'),
    node(11, 1, 'b1'), node(12, 4, 'b2'), node(13, 5, 'b2', { deleted: 1, hypervisor_hostname: 'b2-gone.example' }),
  ],
  aggregates: [{ id: 1, uuid: 'a6600000-0000-4000-8000-000000000001', name: 'p1-hosts', hosts: ['a2', 'b1'], metadata: { filter_tenant_id: 'p1' } }],
  instances: [
    { id: 1, uuid: '1a5a0000-0000-4000-8000-000000000001', host: 'a1', node: 'a1-node1.example', project_id: 'p1', user_id: 'u', vm_state: 'active' },
    { id: 2, uuid: '1a5a0000-0000-4000-8000-000000000002', host: 'b1', node: 'b1-node11.example', project_id: 'p1', user_id: 'u', vm_state: 'active' },
    { id: 3, uuid: '1a5a0000-0000-4000-8000-000000000003', host: 'b1', node: 'b1-node11.example', project_id: 'p2', user_id: 'u', vm_state: 'active', deleted: 3 },
  ],
};
/** What the admin list shows, in Nova's order: cell1's nodes by id, then cell2's; the unmapped host's node skipped. */
const LISTED = [uuid(1), uuid(2), uuid(11), uuid(12)];

describe.skipIf(SKIP_NOVA)('Nova multi-cell behaviour (SQLite, two cells built by Nova)', () => {
  let nova: NovaUnderTest;
  beforeAll(async () => {
    nova = await novaOver(DATASET, { cellOf: (h) => CELL_OF[h]!, unmappedIn: 'cell1' });
  }, 120_000);
  afterAll(() => nova?.close());
  const handler = () => handlerOver(nova.storage);

  it('lists cell by cell in cell-mapping order, each cell by id; cell0 is never read', async () => {
    const list = await getAt(handler(), '2.53', 'os-hypervisors');
    expect(list.status).toBe(200);
    expect(hypervisorsOf(list).map((h) => h.id)).toEqual(LISTED);
    const legacy = await getAt(handler(), '2.1', 'os-hypervisors');
    expect(hypervisorsOf(legacy).map((h) => h.id)).toEqual([1, 2, 1, 4]);
  });

  it('pages across cells with uuid markers (node rows are paged before unmapped ones are skipped, as in Nova)', async () => {
    const ids = async (query: string) => hypervisorsOf(await getAt(handler(), '2.53', `os-hypervisors?${query}`)).map((h) => h.id);
    const first = await getAt(handler(), '2.53', 'os-hypervisors?limit=2');
    expect(hypervisorsOf(first).map((h) => h.id)).toEqual([uuid(1), uuid(2)]);
    expect((first.body.hypervisors_links as Array<{ href: string }>)[0]!.href).toContain(`marker=${uuid(2)}`);
    // Rows 3 (unmapped: skipped) and cell2's first; then on from a marker in cell2.
    expect(await ids(`limit=2&marker=${uuid(2)}`)).toEqual([uuid(11)]);
    expect(await ids(`limit=2&marker=${uuid(3)}`)).toEqual([uuid(11), uuid(12)]);
    expect(await ids(`marker=${uuid(11)}`)).toEqual([uuid(12)]);
    expect(await ids(`marker=${uuid(12)}`)).toEqual([]);
  });

  it('integer ids (< 2.53) are per cell: the first cell holding the id answers, as HostAPI.compute_node_get', async () => {
    const shown = await getAt(handler(), '2.1', 'os-hypervisors/1');
    expect((shown.body.hypervisor as { service: { host: string } }).service.host).toBe('a1');
    // marker=1 is cell1's node 1: the page goes on in cell1 (2; 3 is unmapped), then all of cell2.
    const paged = await getAt(handler(), '2.33', 'os-hypervisors?marker=1');
    expect(hypervisorsOf(paged).map((h) => [h.id, h.hypervisor_hostname])).toEqual([[2, 'a2-node2.example'], [1, 'b1-node11.example'], [4, 'b2-node12.example']]);
    expect((await getAt(handler(), '2.53', `os-hypervisors/${uuid(11)}`)).status).toBe(200);
  });

  it('a host without a host mapping: skipped in lists, 404 on show, and the < 2.53 search routes fail as a whole', async () => {
    expect((await getAt(handler(), '2.53', `os-hypervisors/${uuid(3)}`)).status).toBe(404);
    expect((await getAt(handler(), '2.1', 'os-hypervisors/3')).body).toEqual({ itemNotFound: { code: 404, message: "Hypervisor with ID '3' could not be found." } });
    for (const route of ['search', 'servers']) {
      // `example` matches every node: the unmapped one among them fails the whole request, as in Nova.
      const answer = await getAt(handler(), '2.1', `os-hypervisors/example/${route}`);
      expect(answer.body).toEqual({ itemNotFound: { code: 404, message: "Host 'lost' is not mapped to any cell" } });
      expect((await getAt(handler(), '2.52', `os-hypervisors/b1/${route}`)).status).toBe(200);
    }
    // From 2.53 the pattern is a list filter: the unmapped node is skipped like a service-less one.
    const filtered = await getAt(handler(), '2.53', 'os-hypervisors?hypervisor_hostname_pattern=lost');
    expect([filtered.status, hypervisorsOf(filtered)]).toEqual([200, []]);
  });

  it('soft-deleted rows are never seen: a deleted node, a deleted instance', async () => {
    const detail = await getAt(handler(), '2.53', 'os-hypervisors/detail?with_servers=true');
    expect(hypervisorsOf(detail).map((h) => h.hypervisor_hostname)).not.toContain('b2-gone.example');
    const b1 = hypervisorsOf(detail).find((h) => h.id === uuid(11))!;
    expect(b1.servers).toEqual([{ name: 'instance-00000002', uuid: '1a5a0000-0000-4000-8000-000000000002' }]);
  });

  it('statistics sum every cell', async () => {
    const stats = (await getAt(handler(), '2.1', 'os-hypervisors/statistics')).body.hypervisor_statistics as { count: number; vcpus: number };
    // a1 (1), a2 (2), lost (3: a service in its cell), b1 (11), b2 (12).
    expect([stats.count, stats.vcpus]).toEqual([5, 1 + 2 + 3 + 11 + 12]);
  });

  it('a project admin sees only granted hosts, in every cell', async () => {
    const asP1 = handlerOver(nova.storage, { project: 'p1' });
    expect(hypervisorsOf(await getAt(asP1, '2.53', 'os-hypervisors')).map((h) => h.id)).toEqual([uuid(2), uuid(11)]);
    expect((await getAt(asP1, '2.53', `os-hypervisors/${uuid(1)}`)).status).toBe(404);
    const stats = (await getAt(asP1, '2.1', 'os-hypervisors/statistics')).body.hypervisor_statistics as { count: number };
    expect(stats.count).toBe(2);
  });

  it('a bounded number of queries per cell for any page, whatever its size', async () => {
    for (const query of ['limit=1', 'limit=1000', `limit=2&marker=${uuid(2)}`, 'with_servers=true']) {
      nova.storage.resetQueryCounts();
      expect((await getAt(handler(), '2.53', `os-hypervisors/detail?${query}`)).status).toBe(200);
      const { api, cells } = nova.storage.queryCounts();
      // API: the cell mappings and the page's host mappings (+ the marker's lookup, + the servers' host mappings).
      expect(api).toBeLessThanOrEqual(5);
      // A cell: the marker lookup, the page, the servers (one each at most).
      for (const count of cells.values()) expect(count).toBeLessThanOrEqual(3);
    }
  });

  it('a cell whose database is down fails what needs it with a 503 and answers what Nova answers without it', async () => {
    const cell2 = nova.dbs.cells.find((c) => c.name === 'cell2')!;
    // cell2 as seen from here: a database file in a directory that does not exist.
    const storage = await openNovaStorage({ apiDatabase: nova.dbs.apiUrl, cellUrls: new Map([['cell2', 'sqlite:////nonexistent-dir/nova_cell2.sqlite']]) });
    try {
      const handler = handlerOver(storage);
      const unavailable = { serviceUnavailable: { code: 503, message: 'The hypervisor database is unavailable. Please try again later.' } };
      // Nova's HostAPI walks the cells one by one and has no scatter-gather here: no partial list.
      for (const path of ['os-hypervisors', 'os-hypervisors/detail', 'os-hypervisors/statistics', `os-hypervisors/${uuid(11)}`]) {
        expect((await getAt(handler, path.endsWith('statistics') ? '2.1' : '2.53', path)).body).toEqual(unavailable);
      }
      // What Nova finds before it reaches cell2 is answered: a page filled in cell1, a node in cell1.
      expect(hypervisorsOf(await getAt(handler, '2.53', 'os-hypervisors?limit=2')).map((h) => h.id)).toEqual([uuid(1), uuid(2)]);
      expect((await getAt(handler, '2.53', `os-hypervisors/${uuid(1)}`)).status).toBe(200);
      expect(cell2.name).toBe('cell2');
    } finally {
      await storage.close();
    }
  });
});

describe.skipIf(SKIP_NOVA)('live: a change in Nova\'s databases shows on the next request', () => {
  let nova: NovaUnderTest;
  beforeAll(async () => {
    nova = await novaOver(DATASET, { cellOf: (h) => CELL_OF[h]!, unmappedIn: 'cell1' });
  }, 120_000);
  afterAll(() => nova?.close());

  it('a service disabled, a node added, an aggregate\'s metadata changed, a host mapped', async () => {
    const handler = handlerOver(nova.storage);
    const asP2 = handlerOver(nova.storage, { project: 'p2' });
    const b1 = async () => hypervisorsOf(await getAt(handler, '2.53', 'os-hypervisors/detail')).find((h) => h.id === uuid(11));
    expect((await b1())?.status).toBe('enabled');
    expect(hypervisorsOf(await getAt(asP2, '2.53', 'os-hypervisors'))).toEqual([]);

    await nova.dbs.mutate([{ op: 'disableService', host: 'b1', reason: 'maintenance' }]);
    expect((await b1())?.status).toBe('disabled');
    expect(((await b1())?.service as { disabled_reason: string }).disabled_reason).toBe('maintenance');

    await nova.dbs.mutate([{ op: 'addComputeNode', node: node(14, 6, 'b2'), cell: 'cell2' }]);
    expect(hypervisorsOf(await getAt(handler, '2.53', 'os-hypervisors')).map((h) => h.id)).toEqual([...LISTED, uuid(14)]);

    await nova.dbs.mutate([{ op: 'setAggregateMetadata', aggregate: 1, metadata: { filter_tenant_id: 'p1,p2' } }]);
    expect(hypervisorsOf(await getAt(asP2, '2.53', 'os-hypervisors')).map((h) => h.id)).toEqual([uuid(2), uuid(11)]);

    await nova.dbs.mutate([{ op: 'addHostMapping', host: 'lost', cell: 'cell1' }]);
    expect(hypervisorsOf(await getAt(handler, '2.53', 'os-hypervisors')).map((h) => h.id)).toEqual([uuid(1), uuid(2), uuid(3), uuid(11), uuid(12), uuid(14)]);
    expect((await getAt(handler, '2.1', 'os-hypervisors/example/search')).status).toBe(200);

    // Every host mapped now: the walk by next links across both cells is the whole list, at any page size.
    for (const limit of [1, 2, 3]) {
      const walked: unknown[] = [];
      let query = `limit=${limit}`;
      for (let guard = 0; guard < 20; guard++) {
        const page = await getAt(handler, '2.53', `os-hypervisors?${query}`);
        walked.push(...hypervisorsOf(page).map((h) => h.id));
        const next = (page.body.hypervisors_links as Array<{ href: string }> | undefined)?.[0]?.href;
        if (next === undefined) break;
        query = next.split('?')[1]!;
      }
      expect(walked).toEqual([uuid(1), uuid(2), uuid(3), uuid(11), uuid(12), uuid(14)]);
    }

    await nova.dbs.mutate([{ op: 'softDelete', table: 'compute_nodes', id: 2, cell: 'cell1' }]);
    expect((await getAt(handler, '2.53', `os-hypervisors/${uuid(2)}`)).status).toBe(404);
  }, 180_000);
});
