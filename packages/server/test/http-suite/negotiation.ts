import { describe, expect, it } from 'vitest';
import { apiHeaders, expectApiHeaders, expectAnswer, type SuiteContext } from './context.js';
import { badRequest, fault, faultHeaders, hypervisor, hypervisorList, notFound, py, statistics, successHeaders, VISIBLE, WEBOB_404_TEXT } from './expected.js';

const V21_DOC = (base: string, max: string) =>
  `{"version": {"id": "v2.1", "status": "CURRENT", "version": "${max}", "min_version": "2.1", "updated": "2013-07-23T11:33:21Z", "links": [{"rel": "self", "href": "${base}/v2.1/"}, {"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"}], "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}]}}`;
const V20_DOC = (base: string) =>
  `{"version": {"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", "updated": "2011-01-21T11:33:21Z", "links": [{"rel": "self", "href": "${base}/v2/"}, {"rel": "describedby", "type": "text/html", "href": "http://docs.openstack.org/"}], "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2"}]}}`;
const VERSIONS = (base: string) =>
  `{"versions": [{"id": "v2.0", "status": "SUPPORTED", "version": "", "min_version": "", "updated": "2011-01-21T11:33:21Z", "links": [{"rel": "self", "href": "${base}/v2/"}]}, {"id": "v2.1", "status": "CURRENT", "version": "2.93", "min_version": "2.1", "updated": "2013-07-23T11:33:21Z", "links": [{"rel": "self", "href": "${base}/v2.1/"}]}]}`;
const CHOICES = (base: string, path: string) =>
  `{"choices": [{"id": "v2.0", "status": "SUPPORTED", "links": [{"rel": "self", "href": "${base}/v2${path}"}], "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2"}]}, {"id": "v2.1", "status": "CURRENT", "links": [{"rel": "self", "href": "${base}/v2.1${path}"}], "media-types": [{"base": "application/json", "type": "application/vnd.openstack.compute+json;version=2.1"}]}]}`;

const malformed = (v: string) => badRequest(`API Version String ${v} is of invalid format. Must be of format MajorNum.MinorNum.`);
const unsupported = (v: string, max = '2.93') => fault('computeFault', 406, `Version ${v} is not supported by the API. Minimum is 2.1 and maximum is ${max}.`);

/** microversions.md §§2–3 and §5; os-hypervisors.md §2 (legacy /v2) and §11 (headers). */
export const describeNegotiation = (ctx: SuiteContext): void => {
  describe('microversion negotiation', () => {
    it('uses 2.1 when no version header is sent', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors'), 200, successHeaders('2.1'), hypervisorList(VISIBLE, '2.1', false));
    });

    const extracted: Array<[string, Record<string, string | string[]>, string]> = [
      ['standard header', { 'OpenStack-API-Version': 'compute 2.53' }, '2.53'],
      ['legacy header', { 'X-OpenStack-Nova-API-Version': '2.53' }, '2.53'],
      ['standard wins over legacy', { 'OpenStack-API-Version': 'compute 2.33', 'X-OpenStack-Nova-API-Version': '2.53' }, '2.33'],
      ['right-most compute piece wins', { 'OpenStack-API-Version': 'compute 2.10, volume 3.0, compute 2.33' }, '2.33'],
      ['repeated header lines are joined, right-most wins', { 'OpenStack-API-Version': ['compute 2.10', 'compute 2.33'] }, '2.33'],
      ['service name is case-insensitive', { 'OpenStack-API-Version': 'COMPUTE 2.53' }, '2.53'],
      ['extra whitespace inside the piece', { 'OpenStack-API-Version': 'compute   2.53' }, '2.53'],
      ['another service does not hide the legacy header', { 'OpenStack-API-Version': 'volume 3.0', 'X-OpenStack-Nova-API-Version': '2.53' }, '2.53'],
      ['legacy header: last comma-separated element', { 'X-OpenStack-Nova-API-Version': '2.10, 2.53' }, '2.53'],
      ['a piece without a version is ignored', { 'OpenStack-API-Version': 'compute' }, '2.1'],
      ['latest (standard)', { 'OpenStack-API-Version': 'compute latest' }, '2.93'],
      ['latest (legacy)', { 'X-OpenStack-Nova-API-Version': 'latest' }, '2.93'],
      ['2.10 is above 2.9', { 'OpenStack-API-Version': 'compute 2.10' }, '2.10'],
    ];
    for (const [title, headers, version] of extracted) {
      it(`${title} -> ${version}`, async () => {
        const res = await ctx.call('/v2.1/os-hypervisors', { headers });
        expect(res.status).toBe(200);
        expectApiHeaders(res, successHeaders(version));
      });
    }

    for (const v of ['LATEST', '2.x', '2.01', '2.5 extra', 'abc', '2', '02.1']) {
      it(`malformed "${v}" -> 400 without version headers`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: v }), 400, faultHeaders(null), malformed(v));
      });
    }
    it('malformed legacy header -> 400', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { headers: { 'X-OpenStack-Nova-API-Version': '2.x' } });
      expectAnswer(res, 400, faultHeaders(null), malformed('2.x'));
    });

    for (const v of ['2.200', '2.94', '2.0', '1.1', '3.0']) {
      it(`out of range ${v} -> 406 echoing the requested version`, async () => {
        expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: v }), 406, faultHeaders(v), unsupported(v));
      });
    }

    it('the configured maximum bounds latest and the range', async () => {
      const latest = await ctx.call('/v2.1/os-hypervisors', { version: 'latest', server: 'narrow' });
      expect(latest.status).toBe(200);
      expectApiHeaders(latest, successHeaders('2.88'));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: '2.89', server: 'narrow' }), 406, faultHeaders('2.89'), unsupported('2.89', '2.88'));
    });

    it('version errors are raised before the route range and the query schema', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/statistics?foo=1', { version: '2.x' }), 400, faultHeaders(null), malformed('2.x'));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors?foo=1', { version: '2.200' }), 406, faultHeaders('2.200'), unsupported('2.200'));
    });

    it('an unrouted path answers the router 404 whatever the version header says', async () => {
      expectAnswer(await ctx.call('/v2.1/os-hypervisors/', { version: 'abc' }), 404, successHeaders(null, 'text/plain; charset=UTF-8'), WEBOB_404_TEXT);
    });
  });

  describe('response headers and media types', () => {
    it('sends two separate Vary fields (joined as one only where the Fetch API leaves no choice)', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53' });
      expect(res.headers.filter(([n]) => n === 'vary')).toEqual(ctx.transport.joinsRepeatedFields === true
        ? [['vary', 'OpenStack-API-Version, X-OpenStack-Nova-API-Version']]
        : [['vary', 'OpenStack-API-Version'], ['vary', 'X-OpenStack-Nova-API-Version']]);
    });

    it('Content-Length is the body byte length; both request ids are one req-<uuid>', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors/detail', { version: '2.1' });
      const length = res.headers.find(([n]) => n === 'content-length')?.[1];
      expect(Number(length)).toBe(Buffer.byteLength(res.body));
      const ids = res.headers.filter(([n]) => n === 'x-openstack-request-id' || n === 'x-compute-request-id');
      const names = ids.map(([n]) => n);
      // Fetch Headers sort names; elsewhere Nova's order is kept.
      expect(ctx.transport.joinsRepeatedFields === true ? names.sort().reverse() : names).toEqual(['x-openstack-request-id', 'x-compute-request-id']);
      expect(ids[0]![1]).toMatch(/^req-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      expect(ids[1]![1]).toBe(ids[0]![1]);
    });

    it('answers the vendor media type only when Accept prefers exactly it', async () => {
      const vendor = 'application/vnd.openstack.compute+json';
      expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: '2.53', headers: { Accept: vendor } }), 200, successHeaders('2.53', vendor), hypervisorList(VISIBLE, '2.53', false));
      expectAnswer(await ctx.call('/v2.1/os-hypervisors', { version: '2.53', headers: { Accept: 'application/xml' } }), 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
    });

    it('faults keep their JSON content type whatever Accept says', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors/99', { version: '2.1', headers: { Accept: 'application/vnd.openstack.compute+json' } });
      expectAnswer(res, 404, faultHeaders('2.1'), notFound("Hypervisor with ID '99' could not be found."));
    });

    it('415 for an unsupported request Content-Type, even on GET', async () => {
      const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', headers: { 'Content-Type': 'application/xml' } });
      expectAnswer(res, 415, faultHeaders('2.53'), fault('badMediaType', 415, 'Unsupported Content-Type'));
    });

    it('accepts the request Content-Types Nova accepts', async () => {
      for (const type of ['application/json', 'application/vnd.openstack.compute+json', 'text/plain', 'application/json; charset=UTF-8']) {
        const res = await ctx.call('/v2.1/os-hypervisors', { version: '2.53', headers: { 'Content-Type': type } });
        expect(res.status, type).toBe(200);
      }
    });

    it('401 without a token, before routing and before negotiation', async () => {
      for (const path of ['/v2.1/os-hypervisors', '/v2.1/os-hypervisors/', '/v2.1/0a1b/', '/v2/os-hypervisors']) {
        const res = await ctx.call(path, { token: null, version: '2.x' });
        expect(res.status, path).toBe(401);
        expect(res.body, path).toBe('{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}');
      }
    });
  });

  describe('version documents (microversions.md §5)', () => {
    it('GET / lists the versions, no token, no version headers, a bad version header ignored', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call('/', { token: null }), 200, successHeaders(null), VERSIONS(base));
      expectAnswer(await ctx.call('/', { token: null, version: '2.200' }), 200, successHeaders(null), VERSIONS(base));
    });

    it('GET /v2.1 needs no token and negotiates', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call('/v2.1', { token: null }), 200, successHeaders('2.1'), V21_DOC(base, '2.93'));
      expectAnswer(await ctx.call('/v2.1', { token: null, version: '2.53' }), 200, successHeaders('2.53'), V21_DOC(base, '2.93'));
      expectAnswer(await ctx.call('/v2.1', { token: null, version: '2.200' }), 406, faultHeaders('2.200'), unsupported('2.200'));
    });

    it('GET /v2.1/ is the same document, unauthenticated (below a project it is behind authentication)', async () => {
      // paste's `/v2.1/+` mount needs a character after the slash, so `/v2.1/` stays with the version application.
      expectAnswer(await ctx.call('/v2.1/', { token: null, version: 'latest' }), 200, successHeaders('2.93'), V21_DOC(ctx.baseUrl(), '2.93'));
      expectAnswer(await ctx.call('/v2.1/', { version: 'latest' }), 200, successHeaders('2.93'), V21_DOC(ctx.baseUrl(), '2.93'));
    });

    it('an unprefixed path goes where a version parameter of Content-Type or Accept sends it (Nova\'s URL map)', async () => {
      const base = ctx.baseUrl();
      expectAnswer(await ctx.call('/os-hypervisors', { token: null, headers: { Accept: 'application/json;version=2.1' } }), 200, successHeaders('2.1'), V21_DOC(base, '2.93'));
      const vendor = 'application/vnd.openstack.compute+json';
      expectAnswer(await ctx.call('/foo', { token: null, method: 'POST', headers: { 'Content-Type': 'application/json;version=2.1', Accept: vendor } }), 200, successHeaders('2.1', vendor), V21_DOC(base, '2.93'));
      // `2.1/x` mounts the path, unchanged, in the v2.1 API itself.
      expectAnswer(await ctx.call('/os-hypervisors', { version: '2.53', headers: { 'Content-Type': 'application/json;version=2.1/x' } }), 200, successHeaders('2.53'), hypervisorList(VISIBLE, '2.53', false));
    });

    it('the document shows the configured maximum', async () => {
      expectAnswer(await ctx.call('/v2.1', { token: null, server: 'narrow' }), 200, successHeaders('2.1'), V21_DOC(ctx.baseUrl('narrow'), '2.88'));
    });

    it('GET /v2 answers the v2.0 document without version headers', async () => {
      expectAnswer(await ctx.call('/v2', { token: null, version: '2.53' }), 200, successHeaders(null), V20_DOC(ctx.baseUrl()));
    });

    it('any other root path answers 300 Multiple Choices', async () => {
      const res = await ctx.call('/v3', { token: null });
      expectAnswer(res, 300, successHeaders(null), CHOICES(ctx.baseUrl(), '/v3'));
    });
  });

  describe('legacy /v2 prefix (os-hypervisors.md §2)', () => {
    it('runs as 2.1 whatever the request asks, and sends no version headers', async () => {
      expectAnswer(await ctx.call('/v2/os-hypervisors', { version: '2.53' }), 200, successHeaders(null), hypervisorList(VISIBLE, '2.1', false));
      expectAnswer(await ctx.call('/v2/os-hypervisors', { version: '2.x' }), 200, successHeaders(null), hypervisorList(VISIBLE, '2.1', false));
    });

    it('serves the project-prefixed form and removed-later routes', async () => {
      const res = await ctx.call('/v2/abcdef01/os-hypervisors/1', { token: 'admin:abcdef01', version: '2.88' });
      expectAnswer(res, 200, successHeaders(null), py({ hypervisor: hypervisor(1, '2.1', true) }));
      expectAnswer(await ctx.call('/v2/os-hypervisors/statistics', { version: '2.88' }), 200, successHeaders(null), statistics());
    });

    it('faults carry no version headers either', async () => {
      expectAnswer(await ctx.call('/v2/os-hypervisors/99'), 404, faultHeaders(null), notFound("Hypervisor with ID '99' could not be found."));
    });
  });
};
