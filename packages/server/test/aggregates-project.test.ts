import { createHandler, createPolicy, type Dataset } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';

// `/os-aggregates` opened to project admins by an operator: a project reads only its own tenant entries.

const OPEN = ['index', 'show'].map((r) => `"os_compute_api:os-aggregates:${r}": "rule:project_admin_api"`).join('\n');
const policy = createPolicy({ profile: 'spec', overrides: { format: 'yaml', text: OPEN } });
if (!isRight(policy)) throw new Error(JSON.stringify(policy.left));

const DATASET: Dataset = {
  services: [{ id: 1, uuid: '5e000000-0000-4000-8000-000000000001', host: 'h1', binary: 'nova-compute', disabled: false, last_seen_up: '2026-11-22T11:59:55', deleted: 0 }],
  compute_nodes: [],
  aggregates: [
    { id: 1, name: 'shared', hosts: ['h1'], metadata: { filter_tenant_id: 'pa, pb', filter_tenant_id2: 'pc', filter_tenant_id3: 'pa', availability_zone: 'az1' }, deleted: 0 },
    { id: 2, name: 'other', hosts: [], metadata: { filter_tenant_id: 'pb' }, deleted: 0 },
  ],
  instances: [],
};

const handler = createHandler({
  storage: new MemoryStorage(DATASET),
  authorizer: policy.right,
  credentialResolvers: [() => ({ userId: 'u', projectId: 'pa', roles: ['admin'], systemScope: null })],
});
const get = async (path: string) => {
  const res = await handler({ method: 'GET', path, query: '', headers: { 'X-Auth-Token': 'x', 'OpenStack-API-Version': 'compute 2.53' } });
  return { status: res.status, body: JSON.parse(res.body) as Record<string, unknown> };
};

describe('aggregates under a project grant', () => {
  it('list: only aggregates granting the project, tenant metadata reduced to the project itself', async () => {
    const { status, body } = await get('/v2.1/os-aggregates');
    expect(status).toBe(200);
    const aggregates = body.aggregates as Array<{ id: number; metadata: Record<string, string> }>;
    expect(aggregates.map((a) => a.id)).toEqual([1]);
    expect(aggregates[0]!.metadata).toEqual({ filter_tenant_id: 'pa', filter_tenant_id3: 'pa', availability_zone: 'az1' });
  });

  it('show: the same reduction; an aggregate not granting the project is missing', async () => {
    const shown = await get('/v2.1/os-aggregates/1');
    expect((shown.body.aggregate as { metadata: Record<string, string> }).metadata).toEqual({ filter_tenant_id: 'pa', filter_tenant_id3: 'pa', availability_zone: 'az1' });
    const hidden = await get('/v2.1/os-aggregates/2');
    const missing = await get('/v2.1/os-aggregates/3');
    expect(hidden.status).toBe(404);
    expect(JSON.stringify(hidden.body).replace('2', '3')).toBe(JSON.stringify(missing.body));
  });
});
