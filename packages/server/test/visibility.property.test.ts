import { createHandler, createPolicy, type Credentials, type Dataset, type Handler, type HypervisorStorage } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { importDataset, openSqlStorage } from '@os-hypervisors/storage-sql';
import { openNovaStorage } from '@os-hypervisors/storage-nova';
import { buildNovaDatabases } from '@os-hypervisors/testing';
import { refillNovaDatabases } from '../../storage-nova/test/support/refill.js';
import { SKIP_NOVA } from '../../storage-nova/test/support/nova-fixture.js';
import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Issue 4's property: whatever the dataset, aggregates and project, a project admin's answers on every
 * route contain exactly the hypervisors its project is granted, and every other id answers exactly as a
 * missing one would. An operator policy opens every hypervisor rule and the read-only aggregate rules to
 * project admins, so every route is reachable through the project-scoped branch. The expectation below is
 * an independent, naive reading of the rule (reference README), not the core's own visibility function.
 * It runs against both storage backends: the SQL one computes visibility in its queries, not in the core.
 */
type Aggregate = Dataset['aggregates'][number];
type Node = Dataset['compute_nodes'][number];
/** A storage backend: `load` answers a storage holding exactly the dataset. */
interface Backend {
  readonly name: string;
  readonly numRuns: number;
  /** The order the backend lists nodes in, from id order (Nova over cells: cell by cell). */
  readonly order?: (nodes: Node[]) => Node[];
  open(): Promise<{ load(dataset: Dataset): Promise<HypervisorStorage>; close(): Promise<void> }>;
}
/** One answer; `raw` is status, headers and body text as sent, for byte-for-byte comparisons. */
interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
  readonly raw: string;
}

const HOSTS = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'];
/** The nova backend's cell of a host: even hosts in cell1, odd in cell2. */
const novaCellOf = (host: string): 'cell1' | 'cell2' => (HOSTS.indexOf(host) % 2 === 0 ? 'cell1' : 'cell2');
const PROJECTS = ['p0', 'p1', 'p2'];
const KEYS = ['filter_tenant_id', 'filter_tenant_id2', 'filter_tenant_idX', 'availability_zone'];
const NOW = new Date('2026-11-22T12:00:00Z');
const uuid = (id: number) => `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
const hostname = (id: number) => `node-${id}.example`;
const MISSING_ID = 999;
/** Missing ids, uuids and patterns of the same form as the hidden ones they stand in for. */
const MISSING = { id: String(MISSING_ID), uuid: uuid(MISSING_ID), pattern: `node-${MISSING_ID}` };

const OPEN_TO_PROJECT_ADMINS = [
  ...['list', 'list-detail', 'show', 'statistics', 'uptime', 'search', 'servers'].map((r) => `os-hypervisors:${r}`),
  'os-aggregates:index', 'os-aggregates:show',
].map((r) => `"os_compute_api:${r}": "rule:project_admin_api"`).join('\n');
const policy = createPolicy({ profile: 'spec', overrides: { format: 'yaml', text: OPEN_TO_PROJECT_ADMINS } });
if (!isRight(policy)) throw new Error(JSON.stringify(policy.left));

const BACKENDS: ReadonlyArray<Backend> = [
  { name: 'memory', numRuns: 60, open: async () => ({ load: async (d) => new MemoryStorage(d), close: async () => {} }) },
  {
    // One in-memory database for the whole suite: each run's import replaces its contents in one transaction.
    name: 'sqlite', numRuns: 25,
    open: async () => {
      const storage = await openSqlStorage('sqlite::memory:');
      return {
        load: async (d) => {
          const imported = await importDataset(storage.db, d);
          if (isLeft(imported)) throw new Error(imported.left);
          return storage;
        },
        close: () => storage.close(),
      };
    },
  },
  // Nova's own databases (migrated by Nova; two cells), read by storage-nova: visibility is pushed into
  // each cell's query from the API database's aggregates. Hosts alternate between the cells, so a list
  // is cell1's nodes, then cell2's. Each run's rows are rewritten in SQL (a Nova build per run is seconds).
  ...(SKIP_NOVA ? [] : [{
    name: "nova (Nova's own databases, two cells)", numRuns: 15,
    order: (nodes: Node[]) => [...nodes].sort((a, b) => novaCellOf(a.host!).localeCompare(novaCellOf(b.host!)) || a.id - b.id),
    open: async () => {
      const dbs = await buildNovaDatabases({ dialect: 'sqlite', dataset: { services: [], compute_nodes: [], aggregates: [], instances: [] }, readOnlyUser: false });
      const storage = await openNovaStorage({ apiDatabase: dbs.apiUrl });
      return {
        load: async (d: Dataset) => {
          refillNovaDatabases(dbs, d, novaCellOf);
          return storage;
        },
        close: async () => {
          await storage.close();
          await dbs.drop();
        },
      };
    },
  } satisfies Backend]),
];

// Unbiased hosts, few deletions and most hosts serviced: else most runs see all nodes or none, and a
// response mixing visible and hidden nodes (the case that matters) would be rare.
const rarely = fc.integer({ min: 0, max: 3 }).map((x) => x === 0);
const datasetArb: fc.Arbitrary<Dataset> = fc
  .record({
    nodes: fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 40 }), host: fc.noBias(fc.constantFrom(...HOSTS)), deleted: rarely }), { selector: (n) => n.id, minLength: 2, maxLength: 10 }),
    serviceHosts: fc.subarray(HOSTS, { minLength: 4 }),
    disabledHosts: fc.subarray(HOSTS),
    // Some hosts hold only other projects' instances: their `servers` must look like an empty host's.
    instances: fc.noBias(fc.subarray(HOSTS.flatMap((host, i) => PROJECTS.map((project_id, k) => ({ id: i * 10 + k + 1, uuid: uuid(500 + i * 10 + k), host, project_id, deleted: 0 }))))),
    aggregates: fc.array(fc.record({
      hosts: fc.noBias(fc.subarray(HOSTS, { minLength: 1, maxLength: 3 })),
      metadata: fc.dictionary(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...PROJECTS, 'other', ' p1', 'p2 '), { maxLength: 3 }).map((a) => a.join(',')), { maxKeys: 2 }),
      deleted: rarely,
    }), { minLength: 1, maxLength: 4 }),
  })
  .map(({ nodes, serviceHosts, disabledHosts, instances, aggregates }) => ({
    services: serviceHosts.map((host, i) => ({
      id: i + 1, uuid: `5e000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, host, binary: 'nova-compute',
      disabled: disabledHosts.includes(host), last_seen_up: '2026-11-22T11:59:55', uptime: ' 12:00:00 up 1 day', deleted: 0,
    })),
    compute_nodes: nodes.map((n) => ({
      id: n.id, uuid: uuid(n.id), host: n.host, hypervisor_hostname: hostname(n.id), hypervisor_type: 'QEMU',
      hypervisor_version: 1, vcpus: 2, memory_mb: 10, local_gb: 5, vcpus_used: 1, memory_mb_used: 1, local_gb_used: 1,
      deleted: n.deleted ? n.id : 0,
    })),
    aggregates: aggregates.map((a, i) => ({ id: i + 1, name: `agg${i + 1}`, hosts: a.hosts, metadata: a.metadata, deleted: a.deleted ? 1 : 0 })),
    instances,
  }));

const tenantValues = (a: Aggregate) => Object.entries(a.metadata ?? {}).filter(([k]) => k.startsWith('filter_tenant_id')).map(([, v]) => v);
/** A live aggregate grants the project when one of its tenant values lists it (comma-separated, trimmed). */
const grants = (a: Aggregate, project: string) => !a.deleted && tenantValues(a).some((v) => v.split(',').map((x) => x.trim()).includes(project));

/** The rule, read naively: granted hosts, plus (when asked) hosts in no tenant-restricted aggregate. */
const expectedHosts = (d: Dataset, project: string, unrestricted: boolean): Set<string> => {
  const live = d.aggregates.filter((a) => !a.deleted);
  const granted = (h: string) => live.some((a) => a.hosts?.includes(h) && grants(a, project));
  const restricted = (h: string) => live.some((a) => a.hosts?.includes(h) && tenantValues(a).length > 0);
  return new Set(HOSTS.filter((h) => granted(h) || (unrestricted && !restricted(h))));
};

const scenario = fc.record({ dataset: datasetArb, project: fc.constantFrom(...PROJECTS), unrestricted: fc.boolean() });

const setUp = (storage: HypervisorStorage, dataset: Dataset, project: string, unrestricted: boolean, order: (nodes: Node[]) => Node[] = (n) => n) => {
  const handler: Handler = createHandler({
    storage, authorizer: policy.right, clock: () => NOW, credentialResolvers: [],
    config: { showUnrestrictedHosts: unrestricted }, requestId: () => 'req-x',
  });
  const creds: Credentials = { userId: 'u', projectId: project, roles: ['admin'], systemScope: null, isAdmin: true };
  const get = async (path: string, version: string, query = ''): Promise<Answer> => {
    const r = await handler({ method: 'GET', path: `/v2.1/${path}`, query, headers: { 'openstack-api-version': `compute ${version}` } }, creds);
    return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown>, raw: JSON.stringify([r.status, r.headers, r.body]) };
  };
  const hosts = expectedHosts(dataset, project, unrestricted);
  const serviced = new Set(dataset.services.map((s) => s.host));
  const live = order(dataset.compute_nodes.filter((n) => !n.deleted && serviced.has(n.host!)).sort((a, b) => a.id - b.id));
  const visible = live.filter((n) => hosts.has(n.host!));
  // Nodes a pattern or marker can find: visible hosts, with or without a service (Nova skips service-less ones after matching).
  const matchable = dataset.compute_nodes.filter((n) => !n.deleted && hosts.has(n.host!));
  // Everything show must answer as missing: hidden, deleted and service-less nodes alike.
  const unseen = dataset.compute_nodes.filter((n) => !visible.includes(n));
  // The project's own instances on a host, the only ones `servers` may show.
  const ownOn = (host: string | null | undefined) => dataset.instances.filter((i) => i.host === host && i.project_id === project).map((i) => i.uuid).sort();
  return { get, hosts, visible, matchable, unseen, ownOn };
};

/** The missing id's answer with the hidden one written in: hidden and missing must be indistinguishable. */
const asHidden = (missing: Answer, id: string, missingId = MISSING.id) => missing.raw.split(missingId).join(id);
const idsOf = (a: Answer) => (a.body.hypervisors as Array<{ id: unknown }>).map((h) => h.id);
/** `servers` in any order; before 2.75 the key is absent for a host with none, counting only the caller's own. */
const expectServers = (h: unknown, own: string[]) =>
  expect((h as { servers?: Array<{ uuid: string }> }).servers?.map((s) => s.uuid).sort()).toEqual(own.length === 0 ? undefined : own);

describe.each(BACKENDS)('a project admin sees exactly its granted hypervisors, on every route ($name storage)', (backend) => {
  let load: (d: Dataset) => Promise<HypervisorStorage>;
  let close = async () => {};
  beforeAll(async () => {
    ({ load, close } = await backend.open());
  }, 180_000);
  afterAll(() => close());
  const property = (body: (s: { dataset: Dataset; project: string; unrestricted: boolean }, pageSize: number) => Promise<void>) =>
    fc.assert(fc.asyncProperty(scenario, fc.integer({ min: 1, max: 4 }), body), { numRuns: backend.numRuns });
  const scene = async ({ dataset, project, unrestricted }: { dataset: Dataset; project: string; unrestricted: boolean }) =>
    setUp(await load(dataset), dataset, project, unrestricted, backend.order);

  it('list, detail, paging and with_servers', async () => {
    await property(async (s, pageSize) => {
      const { get, visible, matchable, ownOn } = await scene(s);
      const ids = visible.map((n) => uuid(n.id));
      for (const route of ['os-hypervisors', 'os-hypervisors/detail']) {
        const all = await get(route, '2.53', 'with_servers=true');
        expect(idsOf(all)).toEqual(ids);
        // `servers` shows the project's own instances only, never other tenants' on a shared host.
        (all.body.hypervisors as unknown[]).forEach((h, i) => expectServers(h, ownOn(visible[i]!.host)));
        // Walk the pages by their next links: the union is the same list, in order.
        const walked: unknown[] = [];
        let query = `limit=${pageSize}`;
        for (let guard = 0; guard < 50; guard++) {
          const page = await get(route, '2.88', query);
          expect(page.status).toBe(200);
          walked.push(...idsOf(page));
          const next = (page.body.hypervisors_links as Array<{ href: string }> | undefined)?.[0]?.href;
          if (next === undefined) break;
          query = next.split('?')[1]!;
        }
        // Nova pages node rows before it skips service-less ones, so such a node can end the walk early
        // (reference §7.2): then the walk is a prefix; otherwise it is the whole list.
        if (matchable.length === visible.length) expect(walked).toEqual(ids);
        else expect(ids.slice(0, walked.length)).toEqual(walked);
      }
    });
  });

  it('show, with_servers and uptime: a hidden id answers as a missing one', async () => {
    await property(async (s) => {
      const { get, visible, unseen, ownOn } = await scene(s);
      for (const n of visible) {
        expect((await get(`os-hypervisors/${n.id}`, '2.1')).status).toBe(200);
        const shown = await get(`os-hypervisors/${uuid(n.id)}`, '2.53', 'with_servers=true');
        expect((shown.body.hypervisor as { id: string }).id).toBe(uuid(n.id));
        expectServers(shown.body.hypervisor, ownOn(n.host));
      }
      const missing = {
        show: await get(`os-hypervisors/${MISSING.id}`, '2.1'),
        uptime: await get(`os-hypervisors/${MISSING.id}/uptime`, '2.1'),
        showUuid: await get(`os-hypervisors/${MISSING.uuid}`, '2.53'),
        withServers: await get(`os-hypervisors/${MISSING.uuid}`, '2.53', 'with_servers=true'),
      };
      expect(missing.withServers.body).toEqual({ itemNotFound: { code: 404, message: `Hypervisor with ID '${MISSING.uuid}' could not be found.` } });
      for (const n of unseen) {
        const id = String(n.id);
        expect((await get(`os-hypervisors/${id}`, '2.1')).raw).toBe(asHidden(missing.show, id));
        expect((await get(`os-hypervisors/${id}/uptime`, '2.1')).raw).toBe(asHidden(missing.uptime, id));
        expect((await get(`os-hypervisors/${uuid(n.id)}`, '2.53')).raw).toBe(asHidden(missing.showUuid, uuid(n.id), MISSING.uuid));
        expect((await get(`os-hypervisors/${uuid(n.id)}`, '2.53', 'with_servers=true')).raw).toBe(asHidden(missing.withServers, uuid(n.id), MISSING.uuid));
      }
    });
  });

  it('markers: a hidden one is "not found" as a missing one is, a visible one pages after itself', async () => {
    await property(async (s) => {
      const { get, visible, matchable } = await scene(s);
      // Integer markers before 2.53, uuids from 2.53 on (as are the listed ids): each at both ends of its range.
      const forms = [
        { versions: ['2.33', '2.52'], key: (n: Node) => String(n.id), id: (n: Node): unknown => n.id, missing: MISSING.id },
        { versions: ['2.53', '2.88'], key: (n: Node) => uuid(n.id), id: (n: Node): unknown => uuid(n.id), missing: MISSING.uuid },
      ];
      for (const route of ['os-hypervisors', 'os-hypervisors/detail']) {
        for (const { versions, key, id, missing: missingKey } of forms) {
          for (const version of versions) {
            const missing = await get(route, version, `marker=${missingKey}`);
            expect(missing.body).toEqual({ badRequest: { code: 400, message: `marker [${missingKey}] not found` } });
            for (const n of s.dataset.compute_nodes.filter((c) => !matchable.includes(c))) {
              expect((await get(route, version, `marker=${key(n)}`)).raw).toBe(asHidden(missing, key(n), missingKey));
            }
            for (const [i, n] of visible.entries()) {
              expect(idsOf(await get(route, version, `marker=${key(n)}`))).toEqual(visible.slice(i + 1).map(id));
            }
          }
        }
      }
    });
  });

  it('hostname patterns and the legacy search and servers routes find exactly the visible matches', async () => {
    await property(async (s) => {
      const { get, visible, matchable, ownOn } = await scene(s);
      // `node-N` also matches node-N0..node-N9: patterns hitting visible, hidden or both kinds of node.
      const patterns = ['node-', ...s.dataset.compute_nodes.map((n) => `node-${n.id}`)];
      const byQuery = (path: string) => ({ path: () => path, version: '2.53', query: (p: string) => `hypervisor_hostname_pattern=${p}`, id: (n: Node): unknown => uuid(n.id), servers: false });
      const legacy = (route: string, version: string, servers: boolean) => ({ path: (p: string) => `os-hypervisors/${p}/${route}`, version, query: () => '', id: (n: Node): unknown => n.id, servers });
      const routes = [byQuery('os-hypervisors'), byQuery('os-hypervisors/detail'), legacy('search', '2.52', false), legacy('servers', '2.1', true)];
      for (const route of routes) {
        const missing = await get(route.path(MISSING.pattern), route.version, route.query(MISSING.pattern));
        expect(missing.body).toEqual({ itemNotFound: { code: 404, message: `No hypervisor matching '${MISSING.pattern}' could be found.` } });
        for (const p of patterns) {
          const answer = await get(route.path(p), route.version, route.query(p));
          // Nova answers "not found" when no node row matched, before it skips service-less ones.
          if (!matchable.some((n) => hostname(n.id).includes(p))) {
            expect(answer.raw).toBe(asHidden(missing, p, MISSING.pattern));
            continue;
          }
          const hits = visible.filter((n) => hostname(n.id).includes(p));
          expect(idsOf(answer)).toEqual(hits.map(route.id));
          if (route.servers) (answer.body.hypervisors as unknown[]).forEach((h, i) => expectServers(h, ownOn(hits[i]!.host)));
        }
      }
    });
  });

  it('aggregates: exactly the live ones granting the project, any other id answers as a missing one', async () => {
    await property(async (s) => {
      const { get, hosts } = await scene(s);
      const granting = s.dataset.aggregates.filter((a) => grants(a, s.project));
      // Tenant metadata: only the keys listing the project, each reading as just its id (no other project's).
      const ownTenants = (metadata: Record<string, string> | null | undefined) => Object.entries(metadata ?? {})
        .filter(([k, v]) => k.startsWith('filter_tenant_id') && v.split(',').map((x) => x.trim()).includes(s.project))
        .map(([k]) => [k, s.project]);
      const expected = granting.map((a) => ({ id: a.id, name: a.name, hosts: (a.hosts ?? []).filter((h) => hosts.has(h)), tenants: ownTenants(a.metadata) }));
      const summary = (a: unknown) => {
        const { id, name, hosts: h, metadata } = a as { id: number; name: string; hosts: string[]; metadata: Record<string, string> };
        return { id, name, hosts: h, tenants: Object.entries(metadata).filter(([k]) => k.startsWith('filter_tenant_id')) };
      };
      for (const version of ['2.1', '2.88']) {
        const list = await get('os-aggregates', version);
        expect(list.status).toBe(200);
        expect((list.body.aggregates as unknown[]).map(summary)).toEqual(expected);
        for (const a of expected) expect(summary((await get(`os-aggregates/${a.id}`, version)).body.aggregate)).toEqual(a);
        const missing = await get(`os-aggregates/${MISSING.id}`, version);
        expect(missing.body).toEqual({ itemNotFound: { code: 404, message: `Aggregate ${MISSING.id} could not be found.` } });
        for (const a of s.dataset.aggregates.filter((x) => !granting.includes(x))) {
          expect((await get(`os-aggregates/${a.id}`, version)).raw).toBe(asHidden(missing, String(a.id)));
        }
      }
    });
  });

  it('statistics count only what the project may see', async () => {
    await property(async (s) => {
      const { get, visible } = await scene(s);
      const enabledHosts = new Set(s.dataset.services.filter((x) => !x.disabled).map((x) => x.host));
      const stats = (await get('os-hypervisors/statistics', '2.1')).body.hypervisor_statistics as { count: number; vcpus: number };
      const counted = visible.filter((n) => enabledHosts.has(n.host!));
      expect(stats.count).toBe(counted.length);
      expect(stats.vcpus).toBe(counted.length * 2);
    });
  });
});
