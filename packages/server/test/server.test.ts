import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { FRAMEWORKS, startServer, type RunningServer } from '../src/index.js';
import { buildSampleDataset, SAMPLE_FILE_NOW, SAMPLE_PROJECTS } from '../src/sample-dataset.js';
import { rawRequest } from './http-suite/raw-request.js';

const NOW = new Date('2026-03-04T05:06:07Z');

interface Summary { id: number; hypervisor_hostname: string; state: string; status: string }

describe('bundled sample dataset', () => {
  it('is deterministic and shaped as promised', () => {
    const a = buildSampleDataset(NOW);
    expect(buildSampleDataset(NOW)).toEqual(a);
    expect(a.compute_nodes).toHaveLength(36);
    expect(a.instances).toHaveLength(12);
    const hosts = new Map<string, number>();
    for (const n of a.compute_nodes) hosts.set(n.host!, (hosts.get(n.host!) ?? 0) + 1);
    expect(hosts.get('ironic-conductor-1')).toBe(4);
    const tenants = a.aggregates.flatMap((g) => Object.entries(g.metadata ?? {}).filter(([k]) => k.startsWith('filter_tenant_id')).flatMap(([, v]) => v.split(',')));
    expect(new Set(tenants)).toEqual(new Set(Object.values(SAMPLE_PROJECTS)));
    expect(a.aggregates.some((g) => g.availability_zone !== null)).toBe(true);
    expect(a.aggregates.some((g) => !Object.keys(g.metadata ?? {}).some((k) => k.startsWith('filter_tenant_id')) && g.availability_zone === null)).toBe(true);
    for (const n of a.compute_nodes) if (n.cpu_info) JSON.parse(n.cpu_info);
  });

  it('data/sample-dataset.json is the dataset at its fixed date (regenerate with scripts/write-sample-dataset.mjs)', () => {
    const file = JSON.parse(readFileSync(new URL('../data/sample-dataset.json', import.meta.url), 'utf8'));
    expect(file).toEqual(JSON.parse(JSON.stringify(buildSampleDataset(new Date(SAMPLE_FILE_NOW)))));
  });
});

for (const framework of FRAMEWORKS) {
  describe(`startServer with ${framework}`, () => {
    let server: RunningServer;
    beforeAll(async () => {
      server = await startServer({ port: 0, framework, clock: () => new Date(NOW) });
    });
    afterAll(() => server.close());

    it('serves the sample at its URL with the demo up/down/disabled states', async () => {
      expect(server.url).toBe(`http://127.0.0.1:${server.port}/v2.1`);
      const res = await rawRequest(server.url, '/v2.1/os-hypervisors', { headers: { 'X-Auth-Token': 'admin:admin' } });
      expect(res.status).toBe(200);
      const list = (JSON.parse(res.body) as { hypervisors: Summary[] }).hypervisors;
      // 36 nodes, one of them (compute-31) without a live compute service.
      expect(list).toHaveLength(35);
      expect(list.filter((h) => h.state === 'down').map((h) => h.hypervisor_hostname)).toEqual(
        ['compute-11.dc1.example.com', 'compute-19.dc1.example.com', 'compute-23.dc1.example.com', 'compute-27.dc1.example.com']);
      expect(list.filter((h) => h.status === 'disabled')).toHaveLength(5);
    });

    it('answers uptime, and 501 for the driver that cannot tell', async () => {
      const headers = { 'X-Auth-Token': 'admin:admin' };
      const up = await rawRequest(server.url, '/v2.1/os-hypervisors/1/uptime', { headers });
      expect(up.status).toBe(200);
      expect(JSON.parse(up.body).hypervisor.uptime).toMatch(/^ 05:06:07 up \d+ days, /);
      expect((await rawRequest(server.url, '/v2.1/os-hypervisors/36/uptime', { headers })).status).toBe(501);
    });

    it('--prefix /compute: the API, its links and its documents live below the prefix; nothing outside', async () => {
      const mounted = await startServer({ port: 0, framework, prefix: '/compute', clock: () => new Date(NOW) });
      try {
        const base = `http://127.0.0.1:${mounted.port}`;
        expect(mounted.url).toBe(`${base}/compute/v2.1`);
        const headers = { 'X-Auth-Token': 'admin:admin', 'OpenStack-API-Version': 'compute 2.53' };
        const list = await rawRequest(mounted.url, '/compute/v2.1/os-hypervisors?limit=1', { headers });
        expect(list.status).toBe(200);
        expect(JSON.parse(list.body).hypervisors_links[0].href).toMatch(new RegExp(`^${base}/compute/v2\\.1/os-hypervisors\\?limit=1&marker=`));
        const versions = JSON.parse((await rawRequest(mounted.url, '/compute/')).body) as { versions: Array<{ links: Array<{ href: string }> }> };
        expect(versions.versions.map((v) => v.links[0]!.href)).toEqual([`${base}/compute/v2/`, `${base}/compute/v2.1/`]);
        expect((await rawRequest(mounted.url, '/v2.1/os-hypervisors', { headers })).status).toBe(404);
      } finally {
        await mounted.close();
      }
    });

    it('close() stops accepting connections and may be called twice', async () => {
      const other = await startServer({ port: 0, framework });
      await other.close();
      await other.close();
      await expect(rawRequest(other.url, '/')).rejects.toThrow(/ECONNREFUSED/);
    });
  });
}

describe('startServer options', () => {
  it('the bundled demo keeps its up/down mix however long it runs (its clock stays at start-up)', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const demo = await startServer({ port: 0 });
    try {
      vi.setSystemTime(Date.now() + 60 * 60_000);
      const res = await rawRequest(demo.url, '/v2.1/os-hypervisors', { headers: { 'X-Auth-Token': 'admin:admin' } });
      const states = (JSON.parse(res.body) as { hypervisors: Summary[] }).hypervisors.map((h) => h.state);
      expect(states.filter((s) => s === 'down')).toHaveLength(4);
      expect(states.filter((s) => s === 'up')).toHaveLength(31);
    } finally {
      vi.useRealTimers();
      await demo.close();
    }
  });

  it('a dataset of its own runs on the real clock', async () => {
    vi.useFakeTimers({ toFake: ['Date'] });
    const own = await startServer({ port: 0, dataset: buildSampleDataset(new Date()) });
    try {
      vi.setSystemTime(Date.now() + 60 * 60_000);
      const res = await rawRequest(own.url, '/v2.1/os-hypervisors', { headers: { 'X-Auth-Token': 'admin:admin' } });
      expect((JSON.parse(res.body) as { hypervisors: Summary[] }).hypervisors.every((h) => h.state === 'down')).toBe(true);
    } finally {
      vi.useRealTimers();
      await own.close();
    }
  });

  it('reports the policy\'s warnings', async () => {
    const server = await startServer({ port: 0, policyFile: { format: 'yaml', text: '"os_compute_api:os-hypervisors:list": "rule:no_such_rule"' } });
    try {
      expect(server.policyWarnings.join('\n')).toMatch(/no_such_rule/);
    } finally {
      await server.close();
    }
    const quiet = await startServer({ port: 0 });
    expect(quiet.policyWarnings).toEqual([]);
    await quiet.close();
  });

  it('starts while its database server is down: 503 meanwhile, and says so', async () => {
    const server = await startServer({ port: 0, db: 'postgres://postgres@127.0.0.1:1/osh', dbOptions: { acquireTimeoutMs: 500 } });
    try {
      expect(server.storageWarning).toMatch(/database cannot be reached/);
      const res = await rawRequest(server.url, '/v2.1/os-hypervisors', { headers: { 'X-Auth-Token': 'admin:admin' } });
      expect(res.status).toBe(503);
      expect(JSON.parse(res.body)).toEqual({ serviceUnavailable: { code: 503, message: 'The hypervisor database is unavailable. Please try again later.' } });
    } finally {
      await server.close();
    }
  });

  it('passes the uptime limit on', async () => {
    const slow = await startServer({ port: 0, uptimeTimeoutMs: 50, uptime: { uptime: () => new Promise(() => {}) } });
    try {
      const started = performance.now();
      const res = await rawRequest(slow.url, '/v2.1/os-hypervisors/1/uptime', { headers: { 'X-Auth-Token': 'admin:admin' } });
      expect(res.status).toBe(500);
      expect(performance.now() - started).toBeLessThan(2000);
    } finally {
      await slow.close();
    }
  });

  it('reports a port already in use, and leaves nothing running', async () => {
    const first = await startServer({ port: 0 });
    try {
      await expect(startServer({ port: first.port })).rejects.toThrow(/EADDRINUSE/);
    } finally {
      await first.close();
    }
  });
});
