import { createHandler, createPolicy, type Credentials, type Dataset, type Handler } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import fc from 'fast-check';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';

/**
 * Issue 4's property: whatever the dataset, aggregates and project, a project admin's answers on every
 * route contain exactly the hypervisors its project is granted, and every other id answers exactly as a
 * missing one would. An operator policy opens every hypervisor rule to project admins, so every route is
 * reachable through the project-scoped branch. The expectation below is an independent, naive reading of
 * the rule (reference README), not the core's own visibility function.
 */
const HOSTS = ['h0', 'h1', 'h2', 'h3', 'h4', 'h5'];
const PROJECTS = ['p0', 'p1', 'p2'];
const KEYS = ['filter_tenant_id', 'filter_tenant_id2', 'filter_tenant_idX', 'availability_zone'];
const NOW = new Date('2026-11-22T12:00:00Z');
const uuid = (id: number) => `00000000-0000-4000-8000-${String(id).padStart(12, '0')}`;
const MISSING_ID = 999;

const OPEN_TO_PROJECT_ADMINS = ['list', 'list-detail', 'show', 'statistics', 'uptime', 'search', 'servers']
  .map((r) => `"os_compute_api:os-hypervisors:${r}": "rule:project_admin_api"`).join('\n');
const policy = createPolicy({ profile: 'spec', overrides: { format: 'yaml', text: OPEN_TO_PROJECT_ADMINS } });
if (!isRight(policy)) throw new Error(JSON.stringify(policy.left));

const datasetArb: fc.Arbitrary<Dataset> = fc
  .record({
    nodes: fc.uniqueArray(fc.record({ id: fc.integer({ min: 1, max: 40 }), host: fc.constantFrom(...HOSTS), deleted: fc.boolean() }), { selector: (n) => n.id, maxLength: 10 }),
    serviceHosts: fc.subarray(HOSTS, { minLength: 1 }),
    disabledHosts: fc.subarray(HOSTS),
    aggregates: fc.array(fc.record({
      hosts: fc.subarray(HOSTS),
      metadata: fc.dictionary(fc.constantFrom(...KEYS), fc.array(fc.constantFrom(...PROJECTS, 'other', ' p1', 'p2 '), { maxLength: 3 }).map((a) => a.join(',')), { maxKeys: 2 }),
      deleted: fc.boolean(),
    }), { maxLength: 4 }),
  })
  .map(({ nodes, serviceHosts, disabledHosts, aggregates }) => ({
    services: serviceHosts.map((host, i) => ({
      id: i + 1, uuid: `5e000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`, host, binary: 'nova-compute',
      disabled: disabledHosts.includes(host), last_seen_up: '2026-11-22T11:59:55', uptime: ' 12:00:00 up 1 day', deleted: 0,
    })),
    compute_nodes: nodes.map((n) => ({
      id: n.id, uuid: uuid(n.id), host: n.host, hypervisor_hostname: `node-${n.id}.example`, hypervisor_type: 'QEMU',
      hypervisor_version: 1, vcpus: 2, memory_mb: 10, local_gb: 5, vcpus_used: 1, memory_mb_used: 1, local_gb_used: 1,
      deleted: n.deleted ? n.id : 0,
    })),
    aggregates: aggregates.map((a, i) => ({ id: i + 1, name: `agg${i + 1}`, hosts: a.hosts, metadata: a.metadata, deleted: a.deleted ? 1 : 0 })),
    instances: HOSTS.flatMap((host, i) => PROJECTS.map((project_id, k) => ({ id: i * 10 + k + 1, uuid: uuid(500 + i * 10 + k), host, project_id, deleted: 0 }))),
  }));

/** The rule, read naively: granted hosts, plus (when asked) hosts in no tenant-restricted aggregate. */
const expectedHosts = (d: Dataset, project: string, unrestricted: boolean): Set<string> => {
  const live = d.aggregates.filter((a) => !a.deleted);
  const tenantKeys = (a: Dataset['aggregates'][number]) => Object.entries(a.metadata ?? {}).filter(([k]) => k.startsWith('filter_tenant_id'));
  const granted = (h: string) => live.some((a) => a.hosts?.includes(h) && tenantKeys(a).some(([, v]) => v.split(',').map((x) => x.trim()).includes(project)));
  const restricted = (h: string) => live.some((a) => a.hosts?.includes(h) && tenantKeys(a).length > 0);
  return new Set(HOSTS.filter((h) => granted(h) || (unrestricted && !restricted(h))));
};

const scenario = fc.record({ dataset: datasetArb, project: fc.constantFrom(...PROJECTS), unrestricted: fc.boolean() });

const setUp = (dataset: Dataset, project: string, unrestricted: boolean) => {
  const handler: Handler = createHandler({
    storage: new MemoryStorage(dataset), authorizer: policy.right, clock: () => NOW, credentialResolvers: [],
    config: { showUnrestrictedHosts: unrestricted }, requestId: () => 'req-x',
  });
  const creds: Credentials = { userId: 'u', projectId: project, roles: ['admin'], systemScope: null, isAdmin: true };
  const get = async (path: string, version: string, query = '') => {
    const r = await handler({ method: 'GET', path: `/v2.1/${path}`, query, headers: { 'openstack-api-version': `compute ${version}` } }, creds);
    return { status: r.status, body: JSON.parse(r.body) as Record<string, unknown> };
  };
  const hosts = expectedHosts(dataset, project, unrestricted);
  const serviced = new Set(dataset.services.map((s) => s.host));
  const live = dataset.compute_nodes.filter((n) => !n.deleted && serviced.has(n.host!)).sort((a, b) => a.id - b.id);
  const visible = live.filter((n) => hosts.has(n.host!));
  const hidden = live.filter((n) => !hosts.has(n.host!));
  // Nodes a pattern can match: visible hosts, with or without a service (Nova skips service-less ones after matching).
  const matchable = dataset.compute_nodes.filter((n) => !n.deleted && hosts.has(n.host!));
  return { get, visible, hidden, matchable };
};

/** The missing id's answer with the hidden id written in: hidden and missing must be indistinguishable. */
const asHidden = (missing: unknown, id: string) => JSON.stringify(missing).split(String(MISSING_ID)).join(id);

describe('a project admin sees exactly its granted hypervisors, on every route', () => {
  it('list, detail, paging, patterns and with_servers', async () => {
    await fc.assert(fc.asyncProperty(scenario, fc.integer({ min: 1, max: 4 }), async ({ dataset, project, unrestricted }, pageSize) => {
      const { get, visible, matchable } = setUp(dataset, project, unrestricted);
      const ids = visible.map((n) => n.uuid);
      for (const route of ['os-hypervisors', 'os-hypervisors/detail']) {
        const all = await get(route, '2.53', 'with_servers=true');
        expect((all.body.hypervisors as Array<{ id: string }>).map((h) => h.id)).toEqual(ids);
        // `servers` shows the project's own instances only, never other tenants' on a shared host.
        const own = new Set(dataset.instances.filter((i) => i.project_id === project).map((i) => i.uuid));
        for (const h of all.body.hypervisors as Array<{ servers?: Array<{ uuid: string }> }>) {
          expect(h.servers ?? []).not.toEqual([]);
          for (const s of h.servers ?? []) expect(own.has(s.uuid)).toBe(true);
        }
        // Walk the pages by their next links: the union is the same list, in order.
        const walked: string[] = [];
        let query = `limit=${pageSize}`;
        for (let guard = 0; guard < 50; guard++) {
          const page = await get(route, '2.88', query);
          expect(page.status).toBe(200);
          walked.push(...(page.body.hypervisors as Array<{ id: string }>).map((h) => h.id));
          const next = (page.body.hypervisors_links as Array<{ href: string }> | undefined)?.[0]?.href;
          if (next === undefined) break;
          query = next.split('?')[1]!;
        }
        // Nova pages node rows before it skips service-less ones, so such a node can end the walk early
        // (reference §7.2): then the walk is a prefix; otherwise it is the whole list.
        if (matchable.length === visible.length) expect(walked).toEqual(ids);
        else expect(ids.slice(0, walked.length)).toEqual(walked);
      }
      const pattern = await get('os-hypervisors', '2.53', 'hypervisor_hostname_pattern=node-');
      if (matchable.length === 0) expect(pattern.body).toEqual({ itemNotFound: { code: 404, message: "No hypervisor matching 'node-' could be found." } });
      else expect((pattern.body.hypervisors as Array<{ id: string }>).map((h) => h.id)).toEqual(ids);
    }), { numRuns: 60 });
  });

  it('show, uptime, markers, search and servers: a hidden id answers as a missing one', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ dataset, project, unrestricted }) => {
      const { get, visible, hidden, matchable } = setUp(dataset, project, unrestricted);
      for (const n of visible) {
        expect((await get(`os-hypervisors/${n.uuid}`, '2.88')).status).toBe(200);
        expect((await get(`os-hypervisors/${n.id}`, '2.1')).status).toBe(200);
      }
      const missing = {
        show: await get(`os-hypervisors/${MISSING_ID}`, '2.1'),
        uptime: await get(`os-hypervisors/${MISSING_ID}/uptime`, '2.1'),
        marker: await get('os-hypervisors', '2.33', `marker=${MISSING_ID}`),
        search: await get(`os-hypervisors/${MISSING_ID}/search`, '2.1'),
      };
      for (const n of hidden) {
        const id = String(n.id);
        expect(JSON.stringify(await get(`os-hypervisors/${id}`, '2.1'))).toBe(asHidden(missing.show, id));
        expect(JSON.stringify(await get(`os-hypervisors/${id}/uptime`, '2.1'))).toBe(asHidden(missing.uptime, id));
        expect(JSON.stringify(await get('os-hypervisors', '2.33', `marker=${id}`))).toBe(asHidden(missing.marker, id));
        // A hostname only a hidden node has: the same 404 as a hostname nobody has.
        const hostname = `node-${id}.example`;
        if (!matchable.some((v) => `node-${v.id}.example`.includes(hostname))) {
          expect(JSON.stringify(await get(`os-hypervisors/${hostname}/servers`, '2.1'))).toBe(asHidden(missing.search, hostname));
        }
        const hiddenUuid = await get(`os-hypervisors/${n.uuid}`, '2.53');
        expect(hiddenUuid.body).toEqual({ itemNotFound: { code: 404, message: `Hypervisor with ID '${n.uuid}' could not be found.` } });
      }
    }), { numRuns: 60 });
  });

  it('statistics count only what the project may see', async () => {
    await fc.assert(fc.asyncProperty(scenario, async ({ dataset, project, unrestricted }) => {
      const { get, visible } = setUp(dataset, project, unrestricted);
      const enabledHosts = new Set(dataset.services.filter((s) => !s.disabled).map((s) => s.host));
      const stats = (await get('os-hypervisors/statistics', '2.1')).body.hypervisor_statistics as { count: number; vcpus: number };
      const counted = visible.filter((n) => enabledHosts.has(n.host!));
      expect(stats.count).toBe(counted.length);
      expect(stats.vcpus).toBe(counted.length * 2);
    }), { numRuns: 60 });
  });
});
