import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildNovaDatabases, novaDatabasesAvailability, type CellName, type NovaDatabases } from '@os-hypervisors/testing';
import { DATASET, NOW, PROJECT, uuidOf } from '../../server/test/differential/dataset.js';
import { NovaOracle } from '../../server/test/differential/nova-oracle.js';

/**
 * What Nova Zed itself answers over two cells (docs/nova-cells.md): bench/nova-oracle/oracle.py --nova-conf
 * over databases built by Nova's own migrations. These are the facts storage-nova must reproduce; each is
 * asked of the real thing here, so the document cannot drift from Nova.
 */

const availability = novaDatabasesAvailability('sqlite');
const mustRun = Boolean(process.env.CI) || process.env.OSH_REQUIRE_DB === '1';

const UNMAPPED = 'compute3';
const CELL_OF: Record<string, CellName | null> = { compute3: null, compute2: 'cell2', ironic1: 'cell2', compute9: 'cell2', compute10: 'cell2', compute6: 'cell2' };
const cellOf = (host: string): CellName | null => (host in CELL_OF ? CELL_OF[host]! : 'cell1');

const get = async (oracle: NovaOracle, path: string, version: string) => {
  const res = await oracle.request({ method: 'GET', path, headers: { 'X-Auth-Token': `admin:${PROJECT}`, 'OpenStack-API-Version': `compute ${version}` } });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, any> };
};
const ids = (body: Record<string, any>): Array<number | string> => (body.hypervisors as Array<{ id: number | string }>).map((h) => h.id);

if (!availability.ok && !mustRun) console.warn(`nova-cells tests skipped: ${availability.reason}`);

describe.skipIf(!availability.ok && !mustRun)('Nova Zed over two cells (the facts in docs/nova-cells.md)', () => {
  let built: NovaDatabases;
  let oracle: NovaOracle;

  beforeAll(async () => {
    built = await buildNovaDatabases({ dialect: 'sqlite', dataset: DATASET, now: NOW, cellOf });
    // An integer id that exists in both cells, as it does in any real multi-cell cloud.
    await built.mutate([{ op: 'addComputeNode', cell: 'cell2', node: { id: 1, host: 'compute2', hypervisor_hostname: 'twin1.example.com', hypervisor_type: 'QEMU', hypervisor_version: 1, vcpus: 1, memory_mb: 512, local_gb: 1, vcpus_used: 0, memory_mb_used: 0, local_gb_used: 0, cpu_info: '{}', service_id: 2, uuid: uuidOf.node(101) } }]);
    oracle = await NovaOracle.start(DATASET, NOW, ['--nova-conf', built.novaConfPath]);
  }, 600_000);
  afterAll(async () => {
    await oracle?.close();
    await built?.drop();
  }, 120_000);

  it('lists cell by cell (cell_mappings.id order, cell0 skipped), by id within a cell; unmapped hosts are left out', async () => {
    const { status, body } = await get(oracle, '/v2.1/os-hypervisors', '2.52');
    expect(status).toBe(200);
    // cell1: 1, [3 unmapped], 4, 9, 12 (8 soft-deleted, 11 has no host) — then cell2: 1 (twin), 2, 5, [6 no service], 7, 10, 20.
    expect(ids(body)).toEqual([1, 4, 9, 12, 1, 2, 5, 7, 10, 20]);
  });

  it('resumes an integer marker in the first cell that has it, skipping the cells before it', async () => {
    expect(ids((await get(oracle, '/v2.1/os-hypervisors?marker=2&limit=3', '2.52')).body)).toEqual([5, 7]); // 6 counted, then dropped
    expect(ids((await get(oracle, '/v2.1/os-hypervisors?marker=12&limit=3', '2.52')).body)).toEqual([1, 2, 5]);
    // id 1 is in both cells: the marker resumes in cell1, so cell2's twin comes again.
    expect(ids((await get(oracle, '/v2.1/os-hypervisors?marker=1&limit=7', '2.52')).body)).toEqual([4, 9, 12, 1, 2]);
    const missing = await get(oracle, '/v2.1/os-hypervisors?marker=3', '2.52');
    expect(missing.status).toBe(200); // node 3 exists in cell1 (its host is unmapped): still a marker
    expect((await get(oracle, '/v2.1/os-hypervisors?marker=999', '2.52')).body).toEqual({ badRequest: { code: 400, message: 'marker [999] not found' } });
  });

  it('resumes a uuid marker in its own cell and links the next page by the last uuid shown', async () => {
    const page = await get(oracle, `/v2.1/os-hypervisors?marker=${uuidOf.node(12)}&limit=2`, '2.53');
    expect(ids(page.body)).toEqual([uuidOf.node(101), uuidOf.node(2)]);
    expect(page.body.hypervisors_links[0].href).toContain(`marker=${uuidOf.node(2)}`);
    expect(ids((await get(oracle, `/v2.1/os-hypervisors?marker=${uuidOf.node(7)}`, '2.53')).body)).toEqual([uuidOf.node(10), uuidOf.node(20)]);
  });

  it('shows the first cell\'s node for an integer id present in two cells; an unmapped host\'s node is 404', async () => {
    expect((await get(oracle, '/v2.1/os-hypervisors/1', '2.52')).body.hypervisor.hypervisor_hostname).toBe('hyper1.example.com');
    expect((await get(oracle, `/v2.1/os-hypervisors/${uuidOf.node(101)}`, '2.53')).body.hypervisor.hypervisor_hostname).toBe('twin1.example.com');
    expect(await get(oracle, '/v2.1/os-hypervisors/3', '2.52')).toEqual({ status: 404, body: { itemNotFound: { code: 404, message: "Hypervisor with ID '3' could not be found." } } });
    expect((await get(oracle, `/v2.1/os-hypervisors/${uuidOf.node(3)}?with_servers=1`, '2.53')).status).toBe(404);
    expect((await get(oracle, '/v2.1/os-hypervisors/3/uptime', '2.52')).status).toBe(404);
  });

  it('fails a whole < 2.53 search or servers request with 404 when a matching node\'s host is unmapped', async () => {
    const notMapped = { itemNotFound: { code: 404, message: `Host '${UNMAPPED}' is not mapped to any cell` } };
    expect(await get(oracle, '/v2.1/os-hypervisors/hyper/search', '2.52')).toEqual({ status: 404, body: notMapped });
    expect(await get(oracle, '/v2.1/os-hypervisors/hyper/servers', '2.52')).toEqual({ status: 404, body: notMapped });
    expect(await get(oracle, '/v2.1/os-hypervisors/hyper3/search', '2.1')).toEqual({ status: 404, body: notMapped });
    expect(ids((await get(oracle, '/v2.1/os-hypervisors/hyper1/search', '2.52')).body)).toEqual([1]);
    // A host-less node has no mapping either: its host is None.
    expect((await get(oracle, '/v2.1/os-hypervisors/unassigned/search', '2.52')).body).toEqual({ itemNotFound: { code: 404, message: "Host 'None' is not mapped to any cell" } });
    // From 2.53 the pattern is a list filter: the unmapped node is only left out.
    expect(ids((await get(oracle, '/v2.1/os-hypervisors?hypervisor_hostname_pattern=hyper', '2.53')).body)).not.toContain(uuidOf.node(3));
  });

  it('counts an unmapped host\'s node in statistics (no host mapping is read there)', async () => {
    const { body } = await get(oracle, '/v2.1/os-hypervisors/statistics', '2.52');
    // Enabled live nova-compute services' nodes over both cells: 1, 3 (unmapped), 9, 12 | 5, 7, 20 — twin 1 is on disabled compute2.
    expect(body.hypervisor_statistics.count).toBe(7);
  });

  describe('a cell whose database is down', () => {
    let down: NovaOracle;
    beforeAll(async () => {
      await built.mutate([{ op: 'updateCell', cell: 'cell2', databaseConnection: 'sqlite:////nonexistent/nova/cell2.sqlite' }]);
      down = await NovaOracle.start(DATASET, NOW, ['--nova-conf', built.novaConfPath, '--db-max-retries', '0']);
    }, 300_000);
    afterAll(async () => {
      await down?.close();
      await built.mutate([{ op: 'updateCell', cell: 'cell2', databaseConnection: built.sqlalchemyUrls.cell2 }]);
    }, 120_000);

    const fault500 = (cls: string) => ({ status: 500, body: { computeFault: { code: 500, message: `Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class '${cls}'>` } } });

    it('fails a request that reaches it with 500 (no scatter-gather on these routes)', async () => {
      const error = fault500('oslo_db.exception.DBNonExistentDatabase');
      expect(await get(oracle, '/v2.1/os-hypervisors', '2.52')).not.toEqual(error); // the healthy oracle
      expect(await get(down, '/v2.1/os-hypervisors', '2.52')).toEqual(error);
      expect(await get(down, '/v2.1/os-hypervisors/detail', '2.88')).toEqual(error);
      expect(await get(down, '/v2.1/os-hypervisors/2', '2.52')).toEqual(error);
      expect(await get(down, '/v2.1/os-hypervisors/hyper1/search', '2.52')).toEqual(error);
      expect(await get(down, '/v2.1/os-hypervisors/statistics', '2.52')).toEqual(error);
    });

    it('answers what the cells before it can answer alone', async () => {
      expect((await get(down, '/v2.1/os-hypervisors/1', '2.52')).status).toBe(200);
      expect(ids((await get(down, '/v2.1/os-hypervisors?limit=2', '2.52')).body)).toEqual([1]); // 3 counted toward the limit, then dropped
    });
  });
});
