import { describe, expect, it } from 'vitest';
import { expectAnswer, type SuiteContext } from './context.js';
import {
  atLeast, badRequest, BOUNDARIES, fault, faultHeaders, hypervisor, hypervisorList, notFound, py, statistics,
  successHeaders, uptimeBody, VISIBLE,
} from './expected.js';
import { UPTIME_1, UPTIME_2, uuidOf } from './fixture.js';

const UNEXPECTED = 'Unexpected API Error. Please report this at http://bugs.launchpad.net/nova/ and attach the Nova API log if possible.\n<class \'';
const idFor = (id: number, v: string): string => (atLeast(v, '2.53') ? uuidOf.node(id) : String(id));
const hypervisorNotFound = (id: string) => notFound(`Hypervisor with ID '${id}' could not be found.`);

/** A 500 computeFault whose message names an exception class, as Nova's does (§10). */
const expectUnexpected = (res: { status: number; body: string }): void => {
  expect(res.status).toBe(500);
  const body = JSON.parse(res.body) as { computeFault: { code: number; message: string } };
  expect(body.computeFault.code).toBe(500);
  expect(body.computeFault.message.startsWith(UNEXPECTED)).toBe(true);
  expect(body.computeFault.message).toMatch(/\n<class '[A-Za-z_.]+'>$/);
  expect(res.body.startsWith('{"computeFault": {"code": 500, "message": "Unexpected API Error.')).toBe(true);
};

/** os-hypervisors.md §5 (ids), §6 (shapes), §6.4–6.5 (uptime, statistics), §9, §10. */
export const describeSingleHypervisor = (ctx: SuiteContext): void => {
  describe('show', () => {
    for (const v of BOUNDARIES) {
      it(`every visible node at ${v}`, async () => {
        for (const id of VISIBLE) {
          const res = await ctx.call(`/v2.1/os-hypervisors/${idFor(id, v)}`, { version: v });
          expectAnswer(res, 200, successHeaders(v), py({ hypervisor: hypervisor(id, v, true) }));
        }
      });
    }
    it('< 2.53: the id is parsed like Python int(); the message echoes the raw value', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/%201', { version: '2.1' }), 200, successHeaders('2.1'), py({ hypervisor: hypervisor(1, '2.1', true) }));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/0_1', { version: '2.52' }), 200, successHeaders('2.52'), py({ hypervisor: hypervisor(1, '2.52', true) }));
      for (const id of ['abc', '1.5', uuidOf.node(1), '99', '6', '8']) {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}`, { version: '2.52' }), 404, faultHeaders('2.52'), hypervisorNotFound(id));
      }
    });
    it('≥ 2.53: a non-uuid is 400; uuid-like forms are valid but match exactly', async () => {
      for (const id of ['1', 'abc', 'c302cfd7-1ce3-4ede-bd97']) {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}`, { version: '2.53' }), 400, faultHeaders('2.53'), badRequest(`Invalid uuid ${id}`));
      }
      const upper = uuidOf.node(1).toUpperCase();
      const bare = uuidOf.node(1).replace(/-/g, '');
      for (const id of [upper, bare, uuidOf.node(99), uuidOf.node(6), uuidOf.node(8)]) {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}`, { version: '2.53' }), 404, faultHeaders('2.53'), hypervisorNotFound(id));
      }
      // Braces and the urn:uuid: prefix are uuid-like too (oslo is_uuid_like); the message echoes the decoded segment.
      for (const [raw, decoded] of [[`%7B${uuidOf.node(1)}%7D`, `{${uuidOf.node(1)}}`], [`urn:uuid:${uuidOf.node(1)}`, `urn:uuid:${uuidOf.node(1)}`]]) {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${raw}`, { version: '2.53' }), 404, faultHeaders('2.53'), hypervisorNotFound(decoded!));
      }
    });
    it('with_servers on show (≥ 2.53); ignored before', async () => {
      for (const v of ['2.53', '2.74', '2.75', '2.88']) {
        for (const id of [1, 2, 5]) {
          const res = await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(id)}?with_servers=1`, { version: v });
          expectAnswer(res, 200, successHeaders(v), py({ hypervisor: hypervisor(id, v, true, 'with_servers') }));
        }
      }
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/1?with_servers=1&foo=bar', { version: '2.52' }), 200, successHeaders('2.52'), py({ hypervisor: hypervisor(1, '2.52', true) }));
    });
    it('≥ 2.53 show validates its query', async () => {
      const id = uuidOf.node(1);
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}?foo=1`, { version: '2.53' }), 400, faultHeaders('2.53'), badRequest("Additional properties are not allowed ('foo' was unexpected)"));
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}?limit=1`, { version: '2.53' }), 400, faultHeaders('2.53'), badRequest("Additional properties are not allowed ('limit' was unexpected)"));
    });
    it('2.88 detail asks every host for its uptime: a provider that never answers is a 500, not a stall', async () => {
      const started = Date.now();
      expectUnexpected(await ctx.call('/v2.1/os-hypervisors/detail', { version: '2.88', server: 'hanging' }));
      expectUnexpected(await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(1)}`, { version: '2.88', server: 'hanging' }));
      expect(Date.now() - started).toBeLessThan(5000);
      // Before 2.88 detail never asks.
      const res = await ctx.call('/v2.1/os-hypervisors/detail', { version: '2.87', server: 'hanging' });
      expectAnswer(res, 200, successHeaders('2.87'), hypervisorList(VISIBLE, '2.87', true));
    });
    it('2.88 detail: a failing provider is a 500 for up hosts', async () => {
      expectUnexpected(await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(1)}`, { version: '2.88', server: 'failing' }));
    });
    it('2.88 show of a down host does not ask it: null, even with a failing provider', async () => {
      const res = await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(3)}`, { version: '2.88', server: 'failing' });
      expectAnswer(res, 200, successHeaders('2.88'), py({ hypervisor: hypervisor(3, '2.88', true) }));
    });
  });

  describe('uptime route (2.1 - 2.87)', () => {
    for (const v of ['2.1', '2.52', '2.53', '2.87']) {
      it(`up hosts answer their uptime at ${v}, disabled or not`, async () => {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${idFor(1, v)}/uptime`, { version: v }), 200, successHeaders(v), uptimeBody(1, v, UPTIME_1));
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${idFor(2, v)}/uptime`, { version: v }), 200, successHeaders(v), uptimeBody(2, v, UPTIME_2));
      });
      it(`down and forced-down hosts -> 400 at ${v}`, async () => {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${idFor(3, v)}/uptime`, { version: v }), 400, faultHeaders(v), badRequest('Compute service of compute3 is unavailable at this time.'));
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${idFor(4, v)}/uptime`, { version: v }), 400, faultHeaders(v), badRequest('Compute service of compute4 is unavailable at this time.'));
      });
      it(`a driver that cannot tell -> 501 at ${v}`, async () => {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${idFor(5, v)}/uptime`, { version: v }), 501, faultHeaders(v), fault('notImplemented', 501, 'The requested functionality is not supported.'));
      });
      it(`service-less, deleted and missing nodes -> 404 at ${v}`, async () => {
        for (const id of [idFor(6, v), idFor(8, v), idFor(99, v)]) {
          expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${id}/uptime`, { version: v }), 404, faultHeaders(v), hypervisorNotFound(id));
        }
      });
    }
    it('id format: 404 before 2.53, 400 from 2.53', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/abc/uptime', { version: '2.52' }), 404, faultHeaders('2.52'), hypervisorNotFound('abc'));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/abc/uptime', { version: '2.53' }), 400, faultHeaders('2.53'), badRequest('Invalid uuid abc'));
    });
    it('query parameters are ignored', async () => {
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors/${uuidOf.node(1)}/uptime?foo=bar`, { version: '2.87' }), 200, successHeaders('2.87'), uptimeBody(1, '2.87', UPTIME_1));
    });
    it('a provider that never answers is a 500 within the time limit', async () => {
      expectUnexpected(await ctx.call('/v2.1/os-hypervisors/1/uptime', { version: '2.1', server: 'hanging' }));
    });
  });

  describe('statistics (2.1 - 2.87)', () => {
    for (const v of ['2.1', '2.28', '2.53', '2.87']) {
      it(`sums enabled compute services' nodes, down ones included, at ${v}`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics', { version: v }), 200, successHeaders(v), statistics());
      });
    }
    it('ignores query parameters', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics?foo=bar&limit=1', { version: '2.53' }), 200, successHeaders('2.53'), statistics());
    });
  });

  describe('search and servers routes (2.1 - 2.52)', () => {
    for (const v of ['2.1', '2.28', '2.52']) {
      it(`search at ${v}: summaries, service-less skipped`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper/search', { version: v }), 200, successHeaders(v), hypervisorList([1, 2, 3], v, false));
      });
      it(`servers at ${v}: servers only where the host has instances`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper/servers', { version: v }), 200, successHeaders(v), hypervisorList([1, 2, 3], v, false, 'servers_route'));
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/ironic/servers', { version: v }), 200, successHeaders(v), hypervisorList([5, 7], v, false, 'servers_route'));
      });
    }
    it('no match -> 404 naming the pattern', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/nomatch/search', { version: '2.1' }), 404, faultHeaders('2.1'), notFound("No hypervisor matching 'nomatch' could be found."));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/nomatch/servers', { version: '2.1' }), 404, faultHeaders('2.1'), notFound("No hypervisor matching 'nomatch' could be found."));
    });
    // docs/behaviour.md: a literal substring, where Nova's unescaped LIKE makes `%` and `_` wildcards.
    it('the pattern is the decoded segment, matched literally (deliberate difference from Nova)', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/HYPER%31/search', { version: '2.1' }), 200, successHeaders('2.1'), hypervisorList([1], '2.1', false));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper%25example/search', { version: '2.1' }), 404, faultHeaders('2.1'), notFound("No hypervisor matching 'hyper%example' could be found."));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/ironic_node/search', { version: '2.1' }), 404, faultHeaders('2.1'), notFound("No hypervisor matching 'ironic_node' could be found."));
    });
    it('a match made only of service-less nodes is an empty list', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper6/search', { version: '2.1' }), 200, successHeaders('2.1'), hypervisorList([], '2.1', false));
    });
    it('query parameters are ignored', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/hyper/search?limit=1&foo=bar', { version: '2.52' }), 200, successHeaders('2.52'), hypervisorList([1, 2, 3], '2.52', false));
    });
  });
};
