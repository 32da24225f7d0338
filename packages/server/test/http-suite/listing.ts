import { describe, it } from 'vitest';
import { expectAnswer, type SuiteContext } from './context.js';
import { badRequest, BOUNDARIES, faultHeaders, hypervisorList, notFound, successHeaders, VISIBLE, WEBOB_BAD_REQUEST } from './expected.js';
import { uuidOf } from './fixture.js';

const invalid = (name: string, value: string, reason: string) => badRequest(`Invalid input for query parameters ${name}. Value: ${value}. ${reason}`);
const BOOL_ENUM = "[True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']";

/** os-hypervisors.md §4 (query), §6 (shapes), §7 (listing, paging, pattern), §9 (per version). */
export const describeListing = (ctx: SuiteContext): void => {
  describe('list and detail at every microversion boundary', () => {
    for (const v of BOUNDARIES) {
      it(`GET /os-hypervisors at ${v}`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: v }), 200, successHeaders(v), hypervisorList(VISIBLE, v, false));
      });
      it(`GET /os-hypervisors/detail at ${v}`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail', { version: v }), 200, successHeaders(v), hypervisorList(VISIBLE, v, true));
      });
    }
    it('latest is the newest shape', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail', { version: 'latest' }), 200, successHeaders('2.93'), hypervisorList(VISIBLE, '2.93', true));
    });
    it('service_down_time is configurable: compute3 (61 s) is up at 120', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.1', server: 'narrow' });
      expectAnswer(res, 200, successHeaders('2.1'), hypervisorList(VISIBLE, '2.1', false).replace('"hyper3.example.com", "state": "down"', '"hyper3.example.com", "state": "up"'));
    });
  });

  describe('query parameters before 2.33 and 2.33-2.52', () => {
    it('before 2.33 every parameter is ignored, limit and marker too (no links)', async () => {
      for (const v of ['2.1', '2.32']) {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors?limit=1&marker=abc&foo=bar', { version: v }), 200, successHeaders(v), hypervisorList(VISIBLE, v, false));
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail?limit=-1', { version: v }), 200, successHeaders(v), hypervisorList(VISIBLE, v, true));
      }
    });
    it('2.33-2.52 strip unknown parameters, also from the next link', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors?foo=bar&limit=1&with_servers=true', { version: '2.33' });
      expectAnswer(res, 200, successHeaders('2.33'), hypervisorList([1], '2.33', false, 'none', [`${ctx.baseUrl()}/v2.1/os-hypervisors?limit=1&marker=1`]));
    });
    it('2.33-2.52 take the last of repeated values; the link keeps the value that sorts last', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?limit=1&limit=2', { version: '2.52' }), 200, successHeaders('2.52'),
        hypervisorList([1, 2], '2.52', false, 'none', [`${base}/v2.1/os-hypervisors?limit=2&marker=2`]));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?limit=2&limit=1', { version: '2.52' }), 200, successHeaders('2.52'),
        hypervisorList([1], '2.52', false, 'none', [`${base}/v2.1/os-hypervisors?limit=2&marker=1`]));
    });
    it('2.33 validates limit', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?limit=-1', { version: '2.33' }), 400, faultHeaders('2.33'), invalid('limit', '-1', "'-1' does not match '^[0-9]*$'"));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail?limit=', { version: '2.33' }), 400, faultHeaders('2.33'), invalid('limit', '', "'' is too short"));
    });
    it('pattern and with_servers are not parameters before 2.53', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?hypervisor_hostname_pattern=nomatch&with_servers=true', { version: '2.52' }), 200, successHeaders('2.52'), hypervisorList(VISIBLE, '2.52', false));
    });
  });

  describe('paging (§7.2)', () => {
    const list = (q: string) => `/v2.1/os-hypervisors${q}`;
    it('limit pages by node id and links to the next page', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call(list('?limit=2'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([1, 2], '2.33', false, 'none', [`${base}/v2.1/os-hypervisors?limit=2&marker=2`]));
      expectAnswer(await ctx.call(list('?limit=2&marker=2'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([3, 4], '2.33', false, 'none', [`${base}/v2.1/os-hypervisors?limit=2&marker=4`]));
    });
    it('pages on node rows before service-less nodes are skipped: a short page has no link', async () => {
      expectAnswer(await ctx.call(list('?limit=2&marker=4'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([5], '2.33', false));
      expectAnswer(await ctx.call(list('?limit=1&marker=5'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([], '2.33', false));
    });
    it('a service-less node is still a valid marker', async () => {
      expectAnswer(await ctx.call(list('?marker=6'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([7], '2.33', false));
    });
    it('a full last page still links; the last node as marker gives an empty list', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call(list('?limit=1&marker=4'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([5], '2.33', false, 'none', [`${base}/v2.1/os-hypervisors?limit=1&marker=5`]));
      expectAnswer(await ctx.call(list('?marker=7'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([], '2.33', false));
    });
    it('limit=0 gives an empty list without links; no limit and fewer than 1000 nodes: no link', async () => {
      expectAnswer(await ctx.call(list('?limit=0'), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList([], '2.53', false));
      expectAnswer(await ctx.call(list(''), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
    });
    it('query keys are sorted in the link, the marker keeps its sorted slot, limit=01 is echoed', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call(list('?marker=1&limit=1'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([2], '2.33', false, 'none', [`${base}/v2.1/os-hypervisors?limit=1&marker=2`]));
      expectAnswer(await ctx.call(list('?limit=01'), { version: '2.33' }), 200, successHeaders('2.33'), hypervisorList([1], '2.33', false, 'none', [`${base}/v2.1/os-hypervisors?limit=01&marker=1`]));
    });
    it('either marker form works at any paging version', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call(list(`?limit=1&marker=${uuidOf.node(1)}`), { version: '2.33' }), 200, successHeaders('2.33'),
        hypervisorList([2], '2.33', false, 'none', [`${base}/v2.1/os-hypervisors?limit=1&marker=2`]));
      expectAnswer(await ctx.call(list('?limit=1&marker=1'), { version: '2.53' }), 200, successHeaders('2.53'),
        hypervisorList([2], '2.53', false, 'none', [`${base}/v2.1/os-hypervisors?limit=1&marker=${uuidOf.node(2)}`]));
    });
    it('detail links point at /detail and keep with_servers', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail?limit=1&with_servers=yes', { version: '2.53' }), 200, successHeaders('2.53'),
        hypervisorList([1], '2.53', true, 'with_servers', [`${base}/v2.1/os-hypervisors/detail?limit=1&with_servers=yes&marker=${uuidOf.node(1)}`]));
      expectAnswer(await ctx.call(list('?limit=1&with_servers=True'), { version: '2.53' }), 200, successHeaders('2.53'),
        hypervisorList([1], '2.53', false, 'with_servers', [`${base}/v2.1/os-hypervisors?limit=1&with_servers=True&marker=${uuidOf.node(1)}`]));
    });
    it('links keep the project prefix when the URL carries it', async () => {
      const res = await ctx.call('/v2.1/abcdef01/os-hypervisors?limit=1', { token: 'admin:abcdef01', version: '2.53' });
      expectAnswer(res, 200, successHeaders('2.53'), hypervisorList([1], '2.53', false, 'none', [`${ctx.baseUrl()}/v2.1/abcdef01/os-hypervisors?limit=1&marker=${uuidOf.node(1)}`]));
    });
    for (const marker of ['99', '', 'abc', '8', uuidOf.node(99), uuidOf.node(8)]) {
      it(`marker [${marker}] not found -> 400`, async () => {
        for (const v of ['2.33', '2.53']) {
          expectAnswer(await ctx.call(list(`?marker=${marker}`), { version: v }), 400, faultHeaders(v), badRequest(`marker [${marker}] not found`));
        }
      });
    }
  });

  describe('hostname pattern (≥ 2.53, §7.3)', () => {
    const pattern = (p: string, extra = '') => `/v2.1/os-hypervisors?hypervisor_hostname_pattern=${p}${extra}`;
    it('substring match, id order, service-less nodes skipped, never links', async () => {
      expectAnswer(await ctx.call(pattern('hyper'), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList([1, 2, 3], '2.53', false));
      expectAnswer(await ctx.call(`/v2.1/os-hypervisors/detail?hypervisor_hostname_pattern=example`, { version: '2.88' }), 200, successHeaders('2.88'), hypervisorList([1, 2, 3, 4], '2.88', true));
    });
    it('matches case-insensitively, as MySQL and SQLite collations do', async () => {
      expectAnswer(await ctx.call(pattern('HYPER1'), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList([1], '2.53', false));
    });
    // docs/behaviour.md: a literal substring on every backend, where Nova's unescaped LIKE makes `_` a wildcard.
    it('`_` is an ordinary character (deliberate difference from Nova)', async () => {
      expectAnswer(await ctx.call(pattern('ironic-node'), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList([5, 7], '2.53', false));
      expectAnswer(await ctx.call(pattern('ironic_node'), { version: '2.53' }), 404, faultHeaders('2.53'), notFound("No hypervisor matching 'ironic_node' could be found."));
    });
    it('no match -> 404; only service-less matches -> empty list', async () => {
      expectAnswer(await ctx.call(pattern('nomatch'), { version: '2.53' }), 404, faultHeaders('2.53'), notFound("No hypervisor matching 'nomatch' could be found."));
      expectAnswer(await ctx.call(pattern('hyper8'), { version: '2.53' }), 404, faultHeaders('2.53'), notFound("No hypervisor matching 'hyper8' could be found."));
      expectAnswer(await ctx.call(pattern('hyper6'), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList([], '2.53', false));
    });
    it('cannot be combined with limit (any value) or a non-empty marker; an empty marker is fine', async () => {
      for (const extra of ['&limit=5', '&limit=0', '&marker=1', `&marker=${uuidOf.node(1)}`]) {
        expectAnswer(await ctx.call(pattern('hyper', extra), { version: '2.53' }), 400, faultHeaders('2.53'), badRequest(WEBOB_BAD_REQUEST));
      }
      expectAnswer(await ctx.call(pattern('hyper', '&marker='), { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList([1, 2, 3], '2.53', false));
    });
    it('combines with with_servers', async () => {
      expectAnswer(await ctx.call(pattern('hyper', '&with_servers=1'), { version: '2.75' }), 200, successHeaders('2.75'), hypervisorList([1, 2, 3], '2.75', false, 'with_servers'));
    });
  });

  describe('with_servers (§6.2)', () => {
    for (const v of ['2.53', '2.74', '2.75', '2.87', '2.88', '2.93']) {
      it(`list and detail with_servers=true at ${v}`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors?with_servers=true', { version: v }), 200, successHeaders(v), hypervisorList(VISIBLE, v, false, 'with_servers'));
        expectAnswer(await ctx.call('/v2.1/os-hypervisors/detail?with_servers=true', { version: v }), 200, successHeaders(v), hypervisorList(VISIBLE, v, true, 'with_servers'));
      });
    }
    it('false, or absent, never adds the key (also at ≥ 2.75)', async () => {
      for (const value of ['false', 'NO', '0', 'off']) {
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors?with_servers=${value}`, { version: '2.75' }), 200, successHeaders('2.75'), hypervisorList(VISIBLE, '2.75', false));
      }
    });
    it('every spelling of the boolean enum is accepted', async () => {
      for (const value of ['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes']) {
        const res = await ctx.call(`/v2.1/os-hypervisors?with_servers=${value}`, { version: '2.75' });
        expectAnswer(res, 200, successHeaders('2.75'), hypervisorList(VISIBLE, '2.75', false, 'with_servers'));
      }
    });
  });

  describe('query validation at ≥ 2.53 (§4), before policy', () => {
    const cases: Array<[string, string]> = [
      ['limit=-1', invalid('limit', '-1', "'-1' does not match '^[0-9]*$'")],
      ['limit=abc', invalid('limit', 'abc', "'abc' does not match '^[0-9]*$'")],
      ['limit=1.5', invalid('limit', '1.5', "'1.5' does not match '^[0-9]*$'")],
      ['limit=', invalid('limit', '', "'' is too short")],
      ['limit=1&limit=2', invalid('limit', "['1', '2']", "['1', '2'] is too long")],
      ['hypervisor_hostname_pattern=', invalid('hypervisor_hostname_pattern', '', "'' is too short")],
      ['hypervisor_hostname_pattern=a%25b', invalid('hypervisor_hostname_pattern', 'a%b', "'a%b' does not match '^[a-zA-Z0-9-._]*$'")],
      ['hypervisor_hostname_pattern=a&hypervisor_hostname_pattern=b', invalid('hypervisor_hostname_pattern', "['a', 'b']", "['a', 'b'] is too long")],
      ['with_servers=maybe', invalid('with_servers', 'maybe', `'maybe' is not one of ${BOOL_ENUM}`)],
      ['with_servers=tRuE', invalid('with_servers', 'tRuE', `'tRuE' is not one of ${BOOL_ENUM}`)],
      ['with_servers=1&with_servers=0', invalid('with_servers', "['1', '0']", "['1', '0'] is too long")],
      ['foo=bar', badRequest("Additional properties are not allowed ('foo' was unexpected)")],
      ['foo=bar&baz=1', badRequest("Additional properties are not allowed ('baz', 'foo' were unexpected)")],
      ['hypervisor_hostname_pattern=%ff', badRequest('Query string is not UTF-8 encoded')],
    ];
    for (const [query, body] of cases) {
      it(`?${query} -> 400`, async () => {
        for (const path of ['/v2.1/os-hypervisors', '/v2.1/os-hypervisors/detail']) {
          expectAnswer(await ctx.call(`${path}?${query}`, { version: '2.53' }), 400, faultHeaders('2.53'), body);
        }
        // Schema before policy: a caller the policy refuses still gets the 400.
        expectAnswer(await ctx.call(`/v2.1/os-hypervisors?${query}`, { version: '2.93', token: 'alice:aaaa1111' }), 400, faultHeaders('2.93'), body);
      });
    }
    it('the pattern may be 255 characters, not 256', async () => {
      const long = 'a'.repeat(256);
      const res = await ctx.call(`/v2.1/os-hypervisors?hypervisor_hostname_pattern=${long}`, { version: '2.53' });
      expectAnswer(res, 400, faultHeaders('2.53'), invalid('hypervisor_hostname_pattern', long, `'${long}' is too long`));
      const ok = await ctx.call(`/v2.1/os-hypervisors?hypervisor_hostname_pattern=${'a'.repeat(255)}`, { version: '2.53' });
      expectAnswer(ok, 404, faultHeaders('2.53'), notFound(`No hypervisor matching '${'a'.repeat(255)}' could be found.`));
    });
    it('a limit above max_limit is capped at 1000', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?limit=5000', { version: '2.53' }), 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
    });
  });
};
