import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type RunningServer } from '../../src/index.js';
import { SAMPLE_PROJECTS } from '../../src/sample-dataset.js';
import { rawRequest } from '../http-suite/raw-request.js';
import { parsePrometheusText, total, type Sample } from './prometheus-text.js';

const NOW = new Date('2026-03-04T05:06:07Z');
const ADMIN = { 'X-Auth-Token': 'admin:admin' };
const at = (version: string) => ({ ...ADMIN, 'OpenStack-API-Version': `compute ${version}` });
const PROJECT = Object.values(SAMPLE_PROJECTS)[0]!;
const projectAdmin = { 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'pa', 'X-Project-Id': PROJECT, 'X-Roles': 'admin,member,reader', 'OpenStack-API-Version': 'compute 2.53' };
const member = { ...projectAdmin, 'X-Roles': 'member,reader' };
const NODE_UUID_PREFIX = 'c0ffee00'; // not in the sample; a 404 show must not make a series of its id

describe('/metrics over a real port', () => {
  let server: RunningServer;
  let metricsUrl: string;
  const scrape = async (): Promise<{ samples: Sample[]; text: string }> => {
    const res = await rawRequest(metricsUrl, '/metrics');
    expect(res.status).toBe(200);
    expect(res.headers.find(([n]) => n === 'content-type')?.[1]).toMatch(/^text\/plain; version=0\.0\.4/);
    return { samples: parsePrometheusText(res.body), text: res.body };
  };
  const get = (path: string, headers: Record<string, string>) => rawRequest(server.url, path, { headers });

  beforeAll(async () => {
    server = await startServer({ port: 0, clock: () => new Date(NOW), trustKeystoneHeaders: true, metrics: { port: 0 } });
    metricsUrl = server.metricsUrl!;
  });
  afterAll(() => server.close());

  it('is served apart from the API: another port, and not under the API\'s paths', async () => {
    expect(new URL(metricsUrl).port).not.toBe(String(server.port));
    // The API's own answer for that path (Nova's version choices), not the metrics.
    for (const path of ['/metrics', '/v2.1/metrics', '/healthz']) expect((await get(path, ADMIN)).body).not.toContain('os_hypervisors_');
    expect((await rawRequest(metricsUrl, '/healthz')).status).toBe(200);
  });

  it('counts requests by route, microversion bucket, status and profile, and times them', async () => {
    const before = (await scrape()).samples;
    const answers = await Promise.all([
      get('/v2.1/os-hypervisors', ADMIN), get('/v2.1/os-hypervisors', at('2.33')),
      get('/v2.1/os-hypervisors/detail', at('2.88')), get('/v2.1/os-hypervisors/detail', at('2.88')), get('/v2.1/os-hypervisors/detail', at('2.60')),
      get(`/v2.1/os-hypervisors/${NODE_UUID_PREFIX}-0000-4000-8000-000000000000`, at('2.53')),
      get('/v2.1/os-hypervisors', at('2.x')),
      get('/v2.1/os-hypervisors', {}),
      get('/v2.1/os-hypervisors', projectAdmin), get('/v2.1/os-hypervisors', member),
    ]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200, 200, 200, 404, 400, 401, 200, 403]);
    const { samples, text } = await scrape();
    const delta = (name: string, labels: Record<string, string>) => total(samples, name, labels) - total(before, name, labels);

    const requests = 'os_hypervisors_requests_total';
    expect(delta(requests, { route: '/os-hypervisors', microversion: '<2.33', status: '200', profile: 'spec', method: 'GET' })).toBe(1);
    expect(delta(requests, { route: '/os-hypervisors', microversion: '2.33-2.52', status: '200' })).toBe(1);
    expect(delta(requests, { route: '/os-hypervisors/detail', microversion: '>=2.88', status: '200' })).toBe(2);
    expect(delta(requests, { route: '/os-hypervisors/detail', microversion: '2.53-2.87', status: '200' })).toBe(1);
    expect(delta(requests, { route: '/os-hypervisors/{id}', microversion: '2.53-2.87', status: '404' })).toBe(1);
    expect(delta(requests, { route: '/os-hypervisors', microversion: 'none', status: '400' })).toBe(1);
    expect(delta(requests, { route: 'api', status: '401' })).toBe(1);
    expect(delta(requests, { route: '/os-hypervisors', status: '403' })).toBe(1);
    expect(delta(requests, {})).toBe(answers.length);

    // One latency observation per request; buckets are cumulative and end at the count.
    const duration = 'os_hypervisors_request_duration_seconds';
    expect(delta(`${duration}_count`, {})).toBe(answers.length);
    expect(delta(`${duration}_count`, { route: '/os-hypervisors/detail', microversion: '>=2.88', status_class: '2xx' })).toBe(2);
    const buckets = samples.filter((s) => s.name === `${duration}_bucket` && s.labels.route === '/os-hypervisors/detail' && s.labels.microversion === '>=2.88');
    const counts = buckets.map((b) => b.value);
    expect(counts).toEqual([...counts].sort((a, b) => a - b));
    expect(buckets.at(-1)).toMatchObject({ labels: { le: '+Inf' }, value: total(samples, `${duration}_count`, { route: '/os-hypervisors/detail', microversion: '>=2.88' }) });
    expect(delta(`${duration}_sum`, {})).toBeGreaterThan(0);

    // Policy decisions by rule and grant.
    const decisions = 'os_hypervisors_policy_decisions_total';
    expect(delta(decisions, { rule: 'os_compute_api:os-hypervisors:list', grant: 'system' })).toBe(2);
    expect(delta(decisions, { rule: 'os_compute_api:os-hypervisors:list', grant: 'project' })).toBe(1);
    expect(delta(decisions, { rule: 'os_compute_api:os-hypervisors:list', grant: 'denied' })).toBe(1);
    expect(delta(decisions, { rule: 'os_compute_api:os-hypervisors:list-detail', grant: 'system' })).toBe(3);

    // Storage calls: one page per list, one lookup per show; uptime asked once per node at 2.88 detail.
    const calls = 'os_hypervisors_dependency_calls_total';
    expect(delta(calls, { dependency: 'storage', operation: 'listNodes', outcome: 'ok' })).toBe(6);
    expect(delta(calls, { dependency: 'storage', operation: 'findNodeByUuid', outcome: 'ok' })).toBe(1);
    expect(delta(calls, { dependency: 'uptime', operation: 'uptime' })).toBeGreaterThanOrEqual(2 * 30);
    expect(delta('os_hypervisors_dependency_duration_seconds_count', { dependency: 'storage' })).toBe(delta(calls, { dependency: 'storage' }));
    expect(total(samples, 'os_hypervisors_dependency_up', { dependency: 'storage' })).toBe(1);

    // Process metrics come along; nothing identifying a caller or a hypervisor is a label.
    expect(total(samples, 'os_hypervisors_process_resident_memory_bytes')).toBeGreaterThan(0);
    expect(text).not.toContain(NODE_UUID_PREFIX);
    expect(text).not.toContain(PROJECT);
    expect(text).not.toContain('admin:admin');
  });

  it('a series per label set, not per request: repeating requests adds no series', async () => {
    const series = (await scrape()).samples.filter((s) => s.name.startsWith('os_hypervisors_requests_total')).length;
    for (let i = 0; i < 5; i += 1) await get(`/v2.1/os-hypervisors/${NODE_UUID_PREFIX}-0000-4000-8000-00000000000${i}`, at('2.53'));
    expect((await scrape()).samples.filter((s) => s.name.startsWith('os_hypervisors_requests_total')).length).toBe(series);
  });
});
