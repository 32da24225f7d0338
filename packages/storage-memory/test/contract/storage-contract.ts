import {
  ComputeNodeRow,
  isLive,
  projectVisibleHosts,
  ServiceRow,
  truthy,
  type AggregateRow,
  type Dataset,
  type HypervisorStatistics,
  type HypervisorStorage,
  type NodeWithService,
  type StorageFault,
  type Visibility,
} from '@os-hypervisors/core';
import fc from 'fast-check';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CONTRACT_DATASET, PROJECT, uuidOf } from './contract-fixture.js';
import { datasetArbitrary, PROJECTS } from './dataset-arbitrary.js';

/** A backend under test, built from a dataset and closed (its database dropped) afterwards. */
export interface StorageUnderTest {
  readonly storage: HypervisorStorage;
  close(): Promise<void>;
}
export type MakeStorage = (dataset: Dataset) => Promise<StorageUnderTest>;

export interface ContractOptions {
  /** Random datasets in the visibility property; each one is a fresh backend (a database for SQL). */
  readonly propertyRuns?: number;
  /**
   * Row fields the backend's schema does not hold as the dataset gives them, left out of the "rows as
   * stored" comparison: a backend over Nova's own tables fills Nova's defaults (`report_count`, a NOT
   * NULL `cpu_info`) and has no column for the dataset's `uptime` fields.
   */
  readonly unstoredFields?: ReadonlyArray<string>;
  /** Fields a fixture row leaves out may hold the backend's defaults (Nova fills `created_at`, `report_count`). */
  readonly fillsDefaults?: boolean;
  /** Time for the whole property (default 180 s). */
  readonly propertyTimeoutMs?: number;
}

const ALL: Visibility = { kind: 'all' };
const project = (projectId: string, includeUnrestricted = false): Visibility => ({ kind: 'project', projectId, includeUnrestricted });

const run = async <A>(task: TaskEither<StorageFault, A>): Promise<A> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(`storage fault ${result.left.kind}: ${result.left.message}`);
  return result.right;
};

const nodeIds = (nodes: ReadonlyArray<NodeWithService>): number[] => nodes.map((n) => n.node.id);

// Backends may spell a stored row differently (absent vs null, 1 vs true); the contract is on values.
type Props = Record<string, t.Mixed>;
const fieldsOf = (codec: { types: ReadonlyArray<{ props: Props }> }): string[] => codec.types.flatMap((c) => Object.keys(c.props));
const NODE_FIELDS = fieldsOf(ComputeNodeRow).filter((f) => f !== 'deleted');
const SERVICE_FIELDS = fieldsOf(ServiceRow).filter((f) => f !== 'deleted');
const BOOLEAN_FIELDS = new Set(['disabled', 'forced_down', 'uptime_not_implemented']);

const normalised = (row: object, fields: ReadonlyArray<string>): Record<string, unknown> =>
  Object.fromEntries(
    fields.map((f) => {
      const value = (row as Record<string, unknown>)[f];
      return [f, BOOLEAN_FIELDS.has(f) ? truthy(value as boolean | 0 | 1 | undefined) : (value ?? null)];
    }),
  );

const normalisedAggregate = (a: AggregateRow) => ({
  id: a.id, uuid: a.uuid ?? null, name: a.name, availability_zone: a.availability_zone ?? null,
  hosts: a.hosts ?? [], metadata: Object.entries(a.metadata ?? {}), created_at: a.created_at ?? null,
  updated_at: a.updated_at ?? null, deleted_at: a.deleted_at ?? null,
});

const fixtureNode = (id: number) => CONTRACT_DATASET.compute_nodes.find((n) => n.id === id)!;
const fixtureService = (id: number) => CONTRACT_DATASET.services.find((s) => s.id === id)!;

/** The naive reference for the property: filter every live node through `projectVisibleHosts`. */
const referenceVisibleIds = (dataset: Dataset, visibility: Visibility): number[] => {
  const live = dataset.compute_nodes.filter(isLive);
  const hosts = projectVisibleHosts(visibility, dataset.aggregates, live.flatMap((n) => (n.host == null ? [] : [n.host])));
  return live
    .filter((n) => hosts === null || (n.host != null && hosts.has(n.host)))
    .map((n) => n.id)
    .sort((a, b) => a - b);
};

/**
 * The storage port's contract, run against every backend. `makeStorage` builds a backend from a dataset;
 * adding a backend is one call of this function in that backend's test folder.
 */
export const describeStorageContract = (name: string, makeStorage: MakeStorage, options: ContractOptions = {}): void => {
  describe(`storage contract: ${name}`, () => {
    let subject: StorageUnderTest;
    let storage: HypervisorStorage;
    beforeAll(async () => {
      subject = await makeStorage(CONTRACT_DATASET);
      storage = subject.storage;
    });
    afterAll(async () => {
      await subject?.close();
    });

    describe('listNodes', () => {
      it('lists live nodes ascending by id, deleted rows invisible', async () => {
        expect(nodeIds(await run(storage.listNodes({ visibility: ALL })))).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]);
      });

      it('returns service-less nodes with a null service, others with their host\'s live nova-compute service', async () => {
        const services = (await run(storage.listNodes({ visibility: ALL }))).map((n) => [n.node.id, n.service?.id ?? null]);
        // Node 9's service_id points at service 7, but the service is found by host: none. Node 10 likewise.
        expect(services).toEqual([[1, 1], [2, 2], [3, 3], [4, null], [5, 1], [6, 6], [7, 6], [9, null], [10, 8], [11, null], [12, 9]]);
      });

      it('pages strictly after afterId, at most limit rows', async () => {
        expect(nodeIds(await run(storage.listNodes({ visibility: ALL, afterId: 5, limit: 3 })))).toEqual([6, 7, 9]);
        expect(nodeIds(await run(storage.listNodes({ visibility: ALL, afterId: 0, limit: 2 })))).toEqual([1, 2]);
      });

      it('pages after an id that is not a live node (a deleted one)', async () => {
        expect(nodeIds(await run(storage.listNodes({ visibility: ALL, afterId: 8, limit: 2 })))).toEqual([9, 10]);
      });

      it('is empty after the last node, for limit 0, and past every id', async () => {
        expect(await run(storage.listNodes({ visibility: ALL, afterId: 12 }))).toEqual([]);
        expect(await run(storage.listNodes({ visibility: ALL, limit: 0 }))).toEqual([]);
        expect(await run(storage.listNodes({ visibility: ALL, afterId: 1_000_000, limit: 5 }))).toEqual([]);
      });

      it('takes ids beyond any column\'s range (a marker like 99999999999) as ids that match nothing', async () => {
        expect(await run(storage.listNodes({ visibility: ALL, afterId: 2 ** 40 }))).toEqual([]);
        expect(nodeIds(await run(storage.listNodes({ visibility: ALL, afterId: -(2 ** 40), limit: 2 })))).toEqual([1, 2]);
        expect(await run(storage.findNodeById(2 ** 40, ALL))).toBeNull();
        expect(await run(storage.findAggregate(2 ** 40))).toBeNull();
      });

      it('returns everything left when limit exceeds the count', async () => {
        expect(nodeIds(await run(storage.listNodes({ visibility: ALL, afterId: 9, limit: 1000 })))).toEqual([10, 11, 12]);
      });

      it('pages node rows before service-less ones are dropped (the core drops them)', async () => {
        const page = await run(storage.listNodes({ visibility: ALL, afterId: 3, limit: 1 }));
        expect(page.map((n) => [n.node.id, n.service])).toEqual([[4, null]]);
      });

      it('pages after visibility filtering', async () => {
        expect(nodeIds(await run(storage.listNodes({ visibility: project(PROJECT.b), afterId: 2, limit: 2 })))).toEqual([3, 5]);
        expect(nodeIds(await run(storage.listNodes({ visibility: project(PROJECT.b), afterId: 5 })))).toEqual([6, 7]);
      });

      it('returns rows as stored', async () => {
        const nodes = await run(storage.listNodes({ visibility: ALL }));
        const unstored = new Set(options.unstoredFields ?? []);
        const nodeFields = NODE_FIELDS.filter((f) => !unstored.has(f));
        const serviceFields = SERVICE_FIELDS.filter((f) => !unstored.has(f));
        const given = (fields: ReadonlyArray<string>, row: object) => (options.fillsDefaults ? fields.filter((f) => f in row) : fields);
        for (const { node, service } of nodes) {
          const fixture = fixtureNode(node.id);
          expect(normalised(node, given(nodeFields, fixture))).toEqual(normalised(fixture, given(nodeFields, fixture)));
          if (service === null) continue;
          const fixtureS = fixtureService(service.id);
          expect(normalised(service, given(serviceFields, fixtureS))).toEqual(normalised(fixtureS, given(serviceFields, fixtureS)));
        }
        if (unstored.has('uptime')) return;
        const withUptime = nodes.find((n) => n.node.id === 10)!.service!;
        expect(withUptime.uptime_not_implemented).toBe(true);
        expect(nodes.find((n) => n.node.id === 12)!.service!.uptime).toBe(' 10:00:00 up 1 day');
      });
    });

    describe('visibility', () => {
      const cases: ReadonlyArray<[string, Visibility, number[]]> = [
        ['all', ALL, [1, 2, 3, 4, 5, 6, 7, 9, 10, 11, 12]],
        ['a comma list with a space after the comma', project(PROJECT.a), [1, 2, 5]],
        ['plain and suffixed keys (`filter_tenant_id2`)', project(PROJECT.b), [1, 2, 3, 5, 6, 7]],
        ['a `filter_tenant_id:x` key', project(PROJECT.e), [9, 10]],
        ['only a deleted aggregate grants it: nothing', project(PROJECT.d), []],
        ['an unknown project', project(PROJECT.none), []],
        ['project ids compare case-sensitively', project('P-A'), []],
        ['plus hosts in no tenant-restricted aggregate', project(PROJECT.a, true), [1, 2, 5, 12]],
        ['unknown project plus unrestricted hosts', project(PROJECT.none, true), [12]],
        ['deleted aggregates restrict nothing', project(PROJECT.d, true), [12]],
      ];
      it.each(cases)('%s', async (_label, visibility, expected) => {
        expect(nodeIds(await run(storage.listNodes({ visibility })))).toEqual(expected);
      });

      it('an empty tenant list restricts the host and grants nobody', async () => {
        // compute4 is only in aggregate 6 (`filter_tenant_id: ""`): hidden even with unrestricted hosts shown.
        expect(nodeIds(await run(storage.listNodes({ visibility: project('', true) })))).toEqual([12]);
      });
    });

    describe('findNodeById / findNodeByUuid', () => {
      it('finds live nodes with their service', async () => {
        const byId = await run(storage.findNodeById(2, ALL));
        expect([byId?.node.uuid, byId?.service?.id]).toEqual([uuidOf.node(2), 2]);
        const byUuid = await run(storage.findNodeByUuid(uuidOf.node(6), ALL));
        expect([byUuid?.node.id, byUuid?.service?.id]).toEqual([6, 6]);
      });

      it('finds service-less nodes with a null service', async () => {
        expect((await run(storage.findNodeById(4, ALL)))?.service).toBeNull();
        expect((await run(storage.findNodeByUuid(uuidOf.node(9), ALL)))?.service).toBeNull();
      });

      it('answers null for deleted and unknown nodes', async () => {
        expect(await run(storage.findNodeById(8, ALL))).toBeNull();
        expect(await run(storage.findNodeByUuid(uuidOf.node(8), ALL))).toBeNull();
        expect(await run(storage.findNodeById(999, ALL))).toBeNull();
        expect(await run(storage.findNodeByUuid(uuidOf.node(999), ALL))).toBeNull();
        expect(await run(storage.findNodeByUuid('a\u0000b', ALL))).toBeNull();
      });

      it('answers null for a node hidden by visibility', async () => {
        expect(await run(storage.findNodeById(3, project(PROJECT.a)))).toBeNull();
        expect(await run(storage.findNodeByUuid(uuidOf.node(3), project(PROJECT.a)))).toBeNull();
        expect(await run(storage.findNodeById(11, project(PROJECT.a, true)))).toBeNull();
        expect((await run(storage.findNodeById(1, project(PROJECT.a))))?.node.id).toBe(1);
        expect((await run(storage.findNodeByUuid(uuidOf.node(12), project(PROJECT.a, true))))?.node.id).toBe(12);
        expect(await run(storage.findNodeByUuid(uuidOf.node(12), project(PROJECT.a)))).toBeNull();
      });
    });

    describe('searchNodes', () => {
      const cases: ReadonlyArray<[string, string, Visibility, number[]]> = [
        ['a substring, any case', 'hyper', ALL, [2, 3, 4, 5]],
        ['pattern case is folded too', 'HyPeR2', ALL, [2]],
        ['`_` is a literal underscore', 'hyper_', ALL, [5]],
        ['`_` alone', '_', ALL, [5]],
        ['`%` is a literal percent sign', 'r%3', ALL, [3]],
        ['`%` alone', '%', ALL, [3]],
        ['a backslash is literal', 'c\\b', ALL, [7]],
        ['only ASCII letters fold', '\u00fcber', ALL, []],
        ['non-ASCII letters match themselves', '\u00dcBer-12', ALL, [12]],
        ['no match', 'nothing-like-this', ALL, []],
        ['a NUL character matches nothing', 'hyper\u0000', ALL, []],
        ['restricted by visibility', 'hyper', project(PROJECT.a), [2, 5]],
        ['restricted with unrestricted hosts', 'example', project(PROJECT.a, true), [1, 2, 5, 12]],
        ['hidden nodes never match', 'orphan', project(PROJECT.a), []],
        ['the empty pattern matches every named node', '', ALL, [1, 2, 3, 4, 5, 6, 7, 9, 10, 12]],
      ];
      it.each(cases)('%s (%j)', async (_label, pattern, visibility, expected) => {
        expect(nodeIds(await run(storage.searchNodes(pattern, visibility)))).toEqual(expected);
      });

      it('returns matching service-less nodes with a null service', async () => {
        const found = await run(storage.searchNodes('hyper4', ALL));
        expect(found.map((n) => [n.node.id, n.service])).toEqual([[4, null]]);
      });
    });

    describe('instancesByHosts', () => {
      it('groups live instances by host, ascending by id; hosts without any are absent', async () => {
        const found = await run(storage.instancesByHosts(['compute1', 'compute2', 'ironic', 'compute4', 'nowhere', 'compute1', 'COMPUTE2', 'ironic ', 'nul\u0000']));
        const ids = Object.fromEntries([...found].map(([host, rows]) => [host, rows.map((r) => r.id)]));
        expect(ids).toEqual({ compute1: [1, 3], compute2: [2], ironic: [6] });
        const expected = { uuid: uuidOf.instance(3), name: 'instance-00000003', display_name: 'c', project_id: 'p-a' };
        const unstored = new Set(options.unstoredFields ?? []);
        expect(found.get('compute1')![1]).toMatchObject(Object.fromEntries(Object.entries(expected).filter(([k]) => !unstored.has(k))));
      });

      it('answers an empty map for no hosts', async () => {
        expect((await run(storage.instancesByHosts([]))).size).toBe(0);
      });
    });

    describe('statistics', () => {
      /** Nova's join rows: node ids, once per enabled compute service matched on host or service_id. */
      const expectedFrom = (joined: number[]): HypervisorStatistics => {
        const sum = (f: keyof HypervisorStatistics) => joined.reduce((acc, id) => acc + ((fixtureNode(id) as Record<string, unknown>)[f] as number | null ?? 0), 0);
        return {
          count: joined.length, vcpus: sum('vcpus'), memory_mb: sum('memory_mb'), local_gb: sum('local_gb'),
          vcpus_used: sum('vcpus_used'), memory_mb_used: sum('memory_mb_used'), local_gb_used: sum('local_gb_used'),
          free_ram_mb: sum('free_ram_mb'), free_disk_gb: sum('free_disk_gb'), current_workload: sum('current_workload'),
          running_vms: sum('running_vms'), disk_available_least: sum('disk_available_least'),
        };
      };

      it('joins enabled compute services on host or service_id, disabled ones out, nulls as 0', async () => {
        // 2 and 3: disabled (true and 1); 4: deleted service; 9: by service_id; 10: twice; 11: no host.
        expect(await run(storage.statistics(ALL))).toEqual(expectedFrom([1, 5, 6, 7, 9, 10, 10, 12]));
      });

      it('counts only visible nodes', async () => {
        expect(await run(storage.statistics(project(PROJECT.b)))).toEqual(expectedFrom([1, 5, 6, 7]));
        expect(await run(storage.statistics(project(PROJECT.e)))).toEqual(expectedFrom([9, 10, 10]));
      });

      it('is all zeros when nothing is visible', async () => {
        expect(await run(storage.statistics(project(PROJECT.none)))).toEqual(expectedFrom([]));
      });
    });

    describe('aggregates', () => {
      /** With `fillsDefaults`, what the fixture leaves out is the backend's (Nova generates a missing uuid). */
      const comparable = (row: AggregateRow, fixture: AggregateRow) => {
        const all = normalisedAggregate(row);
        if (!options.fillsDefaults) return all;
        return Object.fromEntries(Object.entries(all).filter(([k]) => k in fixture || ['hosts', 'metadata'].includes(k)));
      };
      it('lists live aggregates ascending by id, hosts and metadata in stored order', async () => {
        const live = CONTRACT_DATASET.aggregates.filter(isLive).sort((a, b) => a.id - b.id);
        const listed = await run(storage.listAggregates());
        expect(listed.map((a, i) => comparable(a, live[i] ?? a))).toEqual(live.map((a) => comparable(a, a)));
      });

      it('finds one live aggregate by id; deleted and unknown are null', async () => {
        const found = await run(storage.findAggregate(1));
        const fixture = CONTRACT_DATASET.aggregates.find((a) => a.id === 1)!;
        expect(found && comparable(found, fixture)).toEqual(comparable(fixture, fixture));
        expect(await run(storage.findAggregate(4))).toBeNull();
        expect(await run(storage.findAggregate(99))).toBeNull();
      });
    });

    describe('property: random datasets x projects', () => {
      it('listNodes under any visibility equals the naive projectVisibleHosts filter, and pages are its slices', async () => {
        await fc.assert(
          fc.asyncProperty(datasetArbitrary, fc.nat(60), fc.nat(6), async (dataset, afterId, limit) => {
            const backend = await makeStorage(dataset);
            try {
              const visibilities = [ALL, ...[...PROJECTS, 'nobody'].flatMap((p) => [project(p), project(p, true)])];
              for (const visibility of visibilities) {
                const expected = referenceVisibleIds(dataset, visibility);
                expect(nodeIds(await run(backend.storage.listNodes({ visibility })))).toEqual(expected);
                const page = expected.filter((id) => id > afterId).slice(0, limit);
                expect(nodeIds(await run(backend.storage.listNodes({ visibility, afterId, limit })))).toEqual(page);
              }
            } finally {
              await backend.close();
            }
          }),
          { numRuns: options.propertyRuns ?? 100 },
        );
        // Each run creates and drops a database: on a busy 2-core machine a SQL server needs more than the default.
      }, options.propertyTimeoutMs ?? 180_000);
    });
  });
};
