import { describe, expect, it } from 'vitest';
import { apiHeaders, expectAnswer, type SuiteContext } from './context.js';
import { badRequest, faultHeaders, GENERIC_NOT_FOUND, GONE, hypervisorList, successHeaders, VISIBLE, WEBOB_404_JSON, WEBOB_404_TEXT } from './expected.js';

const TEXT = 'text/plain; charset=UTF-8';

/** os-hypervisors.md §2 (routing) and §1 (route ranges), README "Decisions" (2.88 removals per profile). */
export const describeRouting = (ctx: SuiteContext): void => {
  describe('unrouted paths and methods answer webob 404 (not a fault, no version headers)', () => {
    const unrouted: Array<[string, string]> = [
      ['GET', '/v2.1/os-hypervisors/'],
      ['GET', '/v2.1/os-hypervisors.json'],
      ['GET', '/v2.1/os-hypervisors/1/foo'],
      ['GET', '/v2.1/os-hypervisors/detail/1'],
      ['GET', '/v2.1/os-hypervisors/a%2Fb/search'],
      ['GET', '/v2.1/os-hypervisor'],
      ['GET', '/v2.1/proj/os-hypervisors'],
      ['POST', '/v2.1/os-hypervisors'],
      ['PUT', '/v2.1/os-hypervisors/1'],
      ['DELETE', '/v2.1/os-hypervisors/1'],
      ['PATCH', '/v2.1/os-hypervisors/statistics'],
    ];
    for (const [method, path] of unrouted) {
      it(`${method} ${path} -> text/plain without Accept`, async () => {
        expectAnswer(await ctx.call(path, { method, version: '2.53' }), 404, successHeaders(null, TEXT), WEBOB_404_TEXT);
      });
    }
    it('OPTIONS: the CORS filter first in Nova\'s pipelines turns the unrouted 404 into a bare 200', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { method: 'OPTIONS', version: '2.53' });
      expect({ status: res.status, headers: apiHeaders(res), body: res.body }).toEqual({ status: 200, headers: [], body: '' });
    });
    it('the body follows Accept: application/json', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors/', { version: '2.53', headers: { Accept: 'application/json' } });
      expectAnswer(res, 404, successHeaders(null), WEBOB_404_JSON);
      const post = await ctx.call('/v2.1/os-hypervisors', { method: 'POST', headers: { Accept: 'application/json' } });
      expectAnswer(post, 404, successHeaders(null), WEBOB_404_JSON);
    });
    // Observed on Nova's own WSGI stack (webob 1.8): HEAD gets webob's HTML type and no body, whatever Accept says.
    it('HEAD is not routed either: text/html, empty body', async () => {
      for (const headers of [{}, { Accept: 'application/json' }] as Array<Record<string, string>>) {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors', { method: 'HEAD', version: '2.53', headers }), 404, successHeaders(null, 'text/html; charset=UTF-8'), '');
      }
    });
    it('Content-Length: a HEAD answer carries what GET\'s would (0 for the bare 404), as Nova\'s WSGI stack sends it', async () => {
      const length = (res: { headers: ReadonlyArray<readonly [string, string]> }) => res.headers.filter(([n]) => n === 'content-length').map(([, v]) => v);
      expect(length(await ctx.call('/v2.1/os-hypervisors', { method: 'HEAD', version: '2.53' }))).toEqual(['0']);
      for (const path of ['/', '/v2.1', '/v2.1/']) {
        const get = await ctx.call(path, { version: '2.53' });
        const head = await ctx.call(path, { method: 'HEAD', version: '2.53' });
        expect(head.body).toBe('');
        expect(length(head), path).toEqual([String(Buffer.byteLength(get.body))]);
        expect(length(get), path).toEqual([String(Buffer.byteLength(get.body))]);
      }
    });
    it('other Accept values get the text body', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors/', { headers: { Accept: 'application/xml' } });
      expectAnswer(res, 404, successHeaders(null, TEXT), WEBOB_404_TEXT);
    });
  });

  describe('project id in the URL', () => {
    it('a matching hex project prefix is served', async () => {
      const res = await ctx.call('/v2.1/abcdef01/os-hypervisors', { token: 'admin:abcdef01', version: '2.53' });
      expectAnswer(res, 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
    });
    it("a prefix that differs from the caller's project -> 400", async () => {
      const res = await ctx.call('/v2.1/abcdef/os-hypervisors', { version: '2.53' });
      expectAnswer(res, 400, faultHeaders('2.53'), badRequest("Malformed request URL: URL's project_id 'abcdef' doesn't match Context's project_id 'admin'"));
    });
    it('the mismatch is checked on every route, before the route range', async () => {
      for (const path of ['/v2.1/abcdef/os-hypervisors/detail', '/v2.1/abcdef/os-hypervisors/1', '/v2.1/abcdef/os-hypervisors/statistics']) {
        const res = await ctx.call(path, { version: '2.93' });
        expectAnswer(res, 400, faultHeaders('2.93'), badRequest("Malformed request URL: URL's project_id 'abcdef' doesn't match Context's project_id 'admin'"));
      }
    });
  });

  describe('routes outside their microversion range', () => {
    for (const v of ['2.53', '2.87', '2.88', '2.93']) {
      it(`search and servers routes at ${v} -> generic 404, both profiles`, async () => {
        for (const server of ['spec', 'nova'] as const) {
          expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper/search', { version: v, server }), 404, faultHeaders(v), GENERIC_NOT_FOUND);
          expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper/servers', { version: v, server }), 404, faultHeaders(v), GENERIC_NOT_FOUND);
        }
      });
    }
    for (const v of ['2.88', '2.93']) {
      it(`statistics and uptime at ${v}: nova profile -> 404 itemNotFound`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: v, server: 'nova' }), 404, faultHeaders(v), GENERIC_NOT_FOUND);
        const id = 'c302cfd7-1ce3-4ede-bd97-000000000001';
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}/uptime`, { version: v, server: 'nova' }), 404, faultHeaders(v), GENERIC_NOT_FOUND);
      });
      it(`statistics and uptime at ${v}: spec profile -> 410 computeFault`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: v }), 410, faultHeaders(v), GONE);
        const id = 'c302cfd7-1ce3-4ede-bd97-000000000001';
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}/uptime`, { version: v }), 410, faultHeaders(v), GONE);
        // The route is gone whatever the id: no uuid check, no lookup.
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/not-a-uuid/uptime', { version: v }), 410, faultHeaders(v), GONE);
      });
    }
    it('`statistics` is never taken as an id, even where the route is gone', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: '2.88', server: 'nova' }), 404, faultHeaders('2.88'), GENERIC_NOT_FOUND);
    });
  });
};
