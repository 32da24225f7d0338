import { describe, it } from 'vitest';
import { expectAnswer, type SuiteContext } from './context.js';
import { badRequest, faultHeaders, forbidden, hypervisorList, notFound, py, hypervisor, statistics, successHeaders, VISIBLE } from './expected.js';
import { PROJECT_AB, PROJECT_B, PROJECT_C, PROJECT_NONE, uuidOf } from './fixture.js';

/** Keystone's auth middleware headers, trusted by the suite's servers (README "Dev authentication"). */
const keystone = (project: string, roles: string, systemScope = false): Record<string, string> => ({
  'X-Identity-Status': 'Confirmed',
  'X-User-Id': `user-${project}`,
  'X-Project-Id': project,
  'X-Roles': roles,
  ...(systemScope ? { 'OpenStack-System-Scope': 'all' } : {}),
});

/** One request per rule (nova/policies/hypervisors.py), at a version where the route exists. */
const RULES: Array<[string, string, string]> = [
  ['list', '/v2.1/os-hypervisors', '2.53'],
  ['list-detail', '/v2.1/os-hypervisors/detail', '2.53'],
  ['show', `/v2.1/os-hypervisors/${uuidOf.node(1)}`, '2.53'],
  ['statistics', '/v2.1/os-hypervisors/statistics', '2.87'],
  ['uptime', '/v2.1/os-hypervisors/1/uptime', '2.1'],
  ['search', '/v2.1/os-hypervisors/hyper/search', '2.1'],
  ['servers', '/v2.1/os-hypervisors/hyper/servers', '2.1'],
];

/** README "Decisions": the two profiles' defaults; policy.md for the project-admin filter. */
export const describePolicy = (ctx: SuiteContext): void => {
  describe('policy refusals (403)', () => {
    for (const [rule, path, v] of RULES) {
      it(`a plain project user is refused ${rule}, both profiles`, async () => {
        for (const server of ['spec', 'nova'] as const) {
          expectAnswer(await ctx.call(path, { version: v, token: `alice:${PROJECT_AB}`, server }), 403, faultHeaders(v), forbidden(rule));
        }
      });
    }
    it('policy is checked before the id format', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/abc', { version: '2.53', token: 'alice:aaaa1111' }), 403, faultHeaders('2.53'), forbidden('show'));
    });
    it('a system member without the reader role is refused under spec', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers: keystone(PROJECT_AB, 'observer', true) });
      expectAnswer(res, 403, faultHeaders('2.53'), forbidden('list'));
    });
  });

  describe('spec profile', () => {
    it('a system reader reads every route', async () => {
      const headers = keystone(PROJECT_AB, 'reader', true);
      expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers }), 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail', { version: '2.88', token: null, headers }), 200, successHeaders('2.88'), hypervisorList(VISIBLE, '2.88', true));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: '2.87', token: null, headers }), 200, successHeaders('2.87'), statistics());
    });
    it('a system admin reads as a reader (implied roles)', async () => {
      const res = await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(1)}`, { version: '2.53', token: null, headers: keystone(PROJECT_AB, 'admin', true) });
      expectAnswer(res, 200, successHeaders('2.53'), py({ hypervisor: hypervisor(1, '2.53', true) }));
    });
    const projectLists: Array<[string, number[]]> = [[PROJECT_AB, [1, 2]], [PROJECT_B, [1, 2, 3, 5, 7]], [PROJECT_C, [3, 5, 7]], [PROJECT_NONE, []]];
    for (const [project, ids] of projectLists) {
      it(`a project admin of ${project} lists only hosts of aggregates granting it`, async () => {
        const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers: keystone(project, 'admin') });
        expectAnswer(res, 200, successHeaders('2.53'), hypervisorList(ids, '2.53', false));
      });
    }
    it('hosts in no tenant aggregate are shown only when configured', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers: keystone(PROJECT_NONE, 'admin'), server: 'unrestricted' });
      expectAnswer(res, 200, successHeaders('2.53'), hypervisorList([4], '2.53', false));
    });
    it('for a project admin a hidden node is a missing one: markers, patterns, paging links', async () => {
      const headers = keystone(PROJECT_C, 'admin');
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors?marker=${uuidOf.node(1)}`, { version: '2.53', token: null, headers }), 400, faultHeaders('2.53'), badRequest(`marker [${uuidOf.node(1)}] not found`));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?hypervisor_hostname_pattern=hyper1', { version: '2.53', token: null, headers }), 404, faultHeaders('2.53'), notFound("No hypervisor matching 'hyper1' could be found."));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?hypervisor_hostname_pattern=hyper', { version: '2.53', token: null, headers }), 200, successHeaders('2.53'), hypervisorList([3], '2.53', false));
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?limit=1', { version: '2.53', token: null, headers }), 200, successHeaders('2.53'),
        hypervisorList([3], '2.53', false, 'none', [`${base}/v2.1/os-hypervisors?limit=1&marker=${uuidOf.node(3)}`]));
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors?limit=1&marker=${uuidOf.node(3)}`, { version: '2.53', token: null, headers }), 200, successHeaders('2.53'),
        hypervisorList([5], '2.53', false, 'none', [`${base}/v2.1/os-hypervisors?limit=1&marker=${uuidOf.node(5)}`]));
    });
    it('a project admin may not read detail, show or statistics (SYSTEM_READER)', async () => {
      const headers = keystone(PROJECT_AB, 'admin');
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail', { version: '2.53', token: null, headers }), 403, faultHeaders('2.53'), forbidden('list-detail'));
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(1)}`, { version: '2.53', token: null, headers }), 403, faultHeaders('2.53'), forbidden('show'));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: '2.53', token: null, headers }), 403, faultHeaders('2.53'), forbidden('statistics'));
    });
    it('a project member is refused the list', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers: keystone(PROJECT_AB, 'member') });
      expectAnswer(res, 403, faultHeaders('2.53'), forbidden('list'));
    });
  });

  describe('nova profile', () => {
    it('the admin role sees everything, whatever its project', async () => {
      const headers = keystone(PROJECT_NONE, 'admin');
      expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers, server: 'nova' }), 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: '2.1', token: null, headers, server: 'nova' }), 200, successHeaders('2.1'), statistics());
    });
    it('a system reader without the admin role is refused', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', token: null, headers: keystone(PROJECT_AB, 'reader', true), server: 'nova' });
      expectAnswer(res, 403, faultHeaders('2.53'), forbidden('list'));
    });
    it('the noauth admin token is_admin', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail', { version: '2.1', server: 'nova' }), 200, successHeaders('2.1'), hypervisorList(VISIBLE, '2.1', true));
    });
  });
};
