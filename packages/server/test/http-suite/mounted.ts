import type { Handler } from '@os-hypervisors/core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FIXTURE, NOW } from './fixture.js';
import { startWith, type RunningServer } from './index.js';
import { rawRequest, type RawResponse } from './raw-request.js';

/** Where devstack serves the compute API: `/compute/v2.1`. */
export const MOUNT = '/compute';

const ADMIN = { 'X-Auth-Token': 'admin:admin' };
const at = (version: string) => ({ ...ADMIN, 'OpenStack-API-Version': `compute ${version}` });
const REQUEST_IDS = new Set(['x-openstack-request-id', 'x-compute-request-id']);

/** The paths below the mount and what each shows: the API, its documents, its links, its 300. */
const BELOW_MOUNT: ReadonlyArray<readonly [string, Record<string, string>]> = [
  ['/v2.1/os-hypervisors', ADMIN],
  ['/v2.1/os-hypervisors?limit=1', at('2.53')],
  ['/v2.1/os-hypervisors/detail?limit=2', at('2.1')],
  ['/v2.1/aaaa1111/os-hypervisors?limit=1', at('2.88')],
  ['/v2.1/os-hypervisors/999', ADMIN],
  ['/', {}],
  ['/v2.1', {}],
  ['/v2.1/', ADMIN],
  ['/v2', {}],
  ['/foo', {}],
  ['/v2.1/nope', ADMIN],
];

/**
 * The API mounted below `/compute` by the framework's own means (`app.use('/compute', …)`, koa-mount, a
 * Fastify `prefix`, a route under `/compute/*`, or the adapter's explicit `mountPath`): each answer
 * must be the core's own for a request mounted there (WSGI's SCRIPT_NAME; the mounted differential
 * test checks those against Nova), and every link must stay under `/compute`.
 */
export const describeMountedUnderCompute = (name: string, serveMounted: (handler: Handler) => Promise<RunningServer>): void => {
  describe(`mounted under ${MOUNT}: ${name}`, () => {
    let handler: Handler | undefined;
    let running: RunningServer | undefined;
    const start = startWith(async (h) => {
      handler = h;
      return serveMounted(h);
    });
    beforeAll(async () => {
      running = await start({ dataset: FIXTURE, profile: 'spec', clock: () => new Date(NOW), trustKeystoneHeaders: false });
    });
    afterAll(() => running?.close());

    const get = (path: string, headers: Record<string, string>): Promise<RawResponse> => rawRequest(running!.baseUrl, path, { headers });
    /** The core's answer to the same request handed over with the mount as `scriptName`. */
    const coreAnswer = async (path: string, headers: Record<string, string>) => {
      const q = path.indexOf('?');
      return handler!({
        method: 'GET', path: q === -1 ? path : path.slice(0, q), query: q === -1 ? '' : path.slice(q + 1),
        headers: { ...headers, host: new URL(running!.baseUrl).host }, scheme: 'http', scriptName: MOUNT,
      });
    };

    for (const [path, headers] of BELOW_MOUNT) {
      it(`GET ${MOUNT}${path} answers as the core mounted at ${MOUNT}`, async () => {
        const res = await get(`${MOUNT}${path}`, headers);
        const want = await coreAnswer(path, headers);
        const own = (h: ReadonlyArray<readonly [string, string]>) => h.map(([n, v]) => [n.toLowerCase(), v] as const).filter(([n]) => !REQUEST_IDS.has(n));
        expect({ status: res.status, body: res.body }).toEqual({ status: want.status, body: want.body });
        const sent = own(res.headers);
        for (const [n, v] of own(want.headers)) expect(sent.some(([sn, sv]) => sn === n && (sv === v || sv.split(', ').includes(v)))).toBe(true);
      });
    }

    it('serves the API, and every link and version document points below the mount', async () => {
      const base = running!.baseUrl;
      const list = await get(`${MOUNT}/v2.1/os-hypervisors?limit=1`, at('2.53'));
      expect(list.status).toBe(200);
      const next = (JSON.parse(list.body) as { hypervisors_links: Array<{ href: string }> }).hypervisors_links[0]!.href;
      expect(next).toMatch(new RegExp(`^${base}${MOUNT}/v2\\.1/os-hypervisors\\?limit=1&marker=`));
      const versions = JSON.parse((await get(`${MOUNT}/`, {})).body) as { versions: Array<{ links: Array<{ href: string }> }> };
      expect(versions.versions.map((v) => v.links[0]!.href)).toEqual([`${base}${MOUNT}/v2/`, `${base}${MOUNT}/v2.1/`]);
      const doc = JSON.parse((await get(`${MOUNT}/v2.1`, {})).body) as { version: { links: Array<{ href: string }> } };
      expect(doc.version.links[0]!.href).toBe(`${base}${MOUNT}/v2.1/`);
      // Nova's 300 repeats the whole request path (webob's req.path, the mount included).
      const choices = await get(`${MOUNT}/foo`, {});
      expect(choices.status).toBe(300);
      expect(choices.body).toContain(`"href": "${base}${MOUNT}/v2.1${MOUNT}/foo"`);
    });

    it(`leaves paths outside ${MOUNT} alone`, async () => {
      for (const path of ['/v2.1/os-hypervisors', '/computer/v2.1/os-hypervisors']) {
        const res = await get(path, ADMIN);
        // The framework's own 404 (Nova's would be JSON or webob's text): the API did not answer.
        expect(res.status).toBe(404);
        expect(res.body).not.toMatch(/itemNotFound|"hypervisors"|The resource could not be found/);
        expect(res.headers.some(([n]) => n === 'x-compute-request-id')).toBe(false);
      }
    });
  });
};
