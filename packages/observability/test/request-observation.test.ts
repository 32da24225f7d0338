import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { createHandler, createPolicy, keystoneHeadersResolver, noauth2Resolver, type RequestObservation } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { FIXTURE, NOW, PROJECT_AB, uuidOf } from '../../server/test/http-suite/fixture.js';

const policy = createPolicy({ profile: 'spec' });
if (!isRight(policy)) throw new Error('default policy');

/** A handler whose observer records every observation, on a clock that moves 7 ms per reading. */
const observed = () => {
  const seen: RequestObservation[] = [];
  let ticks = 0;
  let reads = 0;
  const handler = createHandler({
    storage: new MemoryStorage(FIXTURE),
    authorizer: policy.right,
    clock: () => NOW,
    credentialResolvers: [keystoneHeadersResolver, noauth2Resolver],
    requestId: () => 'req-fixed',
    observer: { now: () => { reads += 1; return (ticks += 7); }, observe: (o) => seen.push(o) },
  });
  const get = async (path: string, headers: Record<string, string> = {}, method = 'GET') => {
    const res = await handler({ method, path: path.split('?')[0]!, query: path.split('?')[1] ?? '', headers: { host: 'h', ...headers } });
    return { res, o: seen.at(-1)! };
  };
  return { get, seen, reads: () => reads };
};

const admin = { 'x-auth-token': 'admin:admin' };
const v = (version: string) => ({ ...admin, 'openstack-api-version': `compute ${version}` });

describe('the handler\'s observer', () => {
  it('is told route template, microversion, status, rule and grant, and who asked', async () => {
    const { get } = observed();
    const { res, o } = await get('/v2.1/os-hypervisors/detail', v('2.88'));
    expect(res.status).toBe(200);
    expect(o).toEqual({
      method: 'GET', route: '/os-hypervisors/detail', api: 'v2.1', microversion: { major: 2, minor: 88 }, status: 200,
      rule: 'os_compute_api:os-hypervisors:list-detail', grant: 'system', durationMs: 7, requestId: 'req-fixed',
      userId: 'admin', projectId: 'admin', error: null,
    });
  });

  it('never carries the ids of the path: the route is a template', async () => {
    const { get } = observed();
    const uuid = uuidOf.node(3);
    const { o } = await get(`/v2.1/os-hypervisors/${uuid}`, v('2.53'));
    expect(o.route).toBe('/os-hypervisors/{id}');
    expect(JSON.stringify(o)).not.toContain(uuid);
    expect((await get('/v2.1/os-hypervisors/hyper/search', admin)).o.route).toBe('/os-hypervisors/{hostname_pattern}/search');
    expect((await get('/v2.1/os-aggregates/1', admin)).o.route).toBe('/os-aggregates/{id}');
  });

  it.each([
    ['the version list', '/', {}, { route: 'versions', api: null, status: 200, microversion: null, rule: null }],
    ['a version document', '/v2.1/', {}, { route: 'version-document', api: 'v2.1', status: 200 }],
    ['no credentials', '/v2.1/os-hypervisors', { 'openstack-api-version': 'compute 2.53' }, { route: 'api', status: 401, userId: null, microversion: null }],
    ['an unrouted path', '/v2.1/os-hypervisors/1/nothing', admin, { route: 'unrouted', status: 404, rule: null }],
    ['a malformed version', '/v2.1/os-hypervisors', v('2.x'), { route: '/os-hypervisors', status: 400, microversion: null, rule: null }],
    ['a removed route', '/v2.1/os-hypervisors/statistics', v('2.88'), { route: '/os-hypervisors/statistics', status: 410, rule: null }],
    ['the legacy v2 API', '/v2/os-hypervisors', admin, { route: '/os-hypervisors', api: 'v2', microversion: null, status: 200 }],
  ] as const)('%s', async (_what, path, headers, expected) => {
    const { get } = observed();
    expect((await get(path, headers)).o).toMatchObject(expected);
  });

  it('says how the policy decided: project grant, or denied', async () => {
    const { get } = observed();
    const projectAdmin = { 'x-identity-status': 'Confirmed', 'x-user-id': 'pa', 'x-project-id': PROJECT_AB, 'x-roles': 'admin,member,reader', 'openstack-api-version': 'compute 2.53' };
    const granted = await get('/v2.1/os-hypervisors', projectAdmin);
    expect(granted.o).toMatchObject({ status: 200, grant: 'project', userId: 'pa', projectId: PROJECT_AB, rule: 'os_compute_api:os-hypervisors:list' });
    const member = { ...projectAdmin, 'x-roles': 'member,reader' };
    const denied = await get('/v2.1/os-hypervisors', member);
    expect(denied.o).toMatchObject({ status: 403, grant: 'denied', rule: 'os_compute_api:os-hypervisors:list' });
  });

  it('reads its clock twice per request, whatever the answer', async () => {
    const { get, seen, reads } = observed();
    await get('/');
    await get('/v2.1/os-hypervisors', admin);
    await get('/v2.1/os-hypervisors', {});
    expect(seen).toHaveLength(3);
    expect(reads()).toBe(6);
    expect(seen.map((o) => o.durationMs)).toEqual([7, 7, 7]);
  });
});
