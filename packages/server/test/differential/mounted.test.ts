import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DATASET, NOW, PROJECT } from './dataset.js';
import { NovaOracle, novaAvailability, type OracleRequest, type OracleResponse } from './nova-oracle.js';
import { buildHandler } from './our-handler.js';

/**
 * Differential test of an API mounted below a path (devstack serves Nova at `/compute`): Nova Zed's own
 * pipeline with WSGI's SCRIPT_NAME set, against our handler with `scriptName`. Every version list,
 * version document, 300 choice and `next` link must come out byte for byte as Nova builds them from
 * webob's `application_url` and `req.path`. Skipped when Nova cannot run here (required under CI).
 */

const availability = novaAvailability();
const mustRun = Boolean(process.env.CI);
if (!availability.ok && !mustRun) console.warn(`mounted differential test skipped: ${availability.reason}`);

const HOST = 'openstack.example.com';
const TOKEN = `admin:${PROJECT}`;
const API = '/v2.1/os-hypervisors';

interface MountedCase extends OracleRequest {
  readonly name: string;
  readonly script_name: string;
}

const cases: MountedCase[] = [];
const add = (scriptName: string, path: string, headers: Record<string, string>): void => {
  const extra = Object.entries(headers).map(([k, v]) => ` [${k}: ${v}]`).join('');
  cases.push({ name: `mounted at ${scriptName}: GET ${path}${extra}`, method: 'GET', path, script_name: scriptName, headers: { Host: HOST, 'X-Auth-Token': TOKEN, ...headers } });
};
for (const scriptName of ['/compute', '/a/b']) {
  for (const path of ['/', '/foo', '/foo/bar', '/v2', '/v2/', '/v2.1', '/v2.1/', '/v3/os-hypervisors', `/v2.1/${PROJECT}/`, '/os-hypervisors']) {
    add(scriptName, path, {});
    // The URL map's version parameter: the path goes into the v2.1 application unchanged.
    add(scriptName, path, { Accept: 'application/json;version=2.1' });
  }
  for (const v of ['2.1', '2.53', '2.88']) {
    for (const path of [`${API}?limit=1`, `${API}/detail?limit=2&marker=1`, `/v2.1/${PROJECT}/os-hypervisors?limit=1`, `/v2/${PROJECT}/os-hypervisors?limit=1`, `${API}/999`]) {
      add(scriptName, path, { 'OpenStack-API-Version': `compute ${v}` });
    }
  }
}

const IGNORED = new Set(['content-length', 'date', 'connection', 'keep-alive', 'x-openstack-request-id', 'x-compute-request-id']);
const comparable = (r: OracleResponse) => ({
  status: r.status,
  headers: r.headers.filter(([k]) => !IGNORED.has(k.toLowerCase())).map(([k, v]) => `${k.toLowerCase()}: ${v}`),
  body: r.body,
});

describe.skipIf(!availability.ok && !mustRun)('differential: mounted below a path (SCRIPT_NAME), ours vs Nova Zed', () => {
  const answers = new Map<string, { nova: OracleResponse; ours: OracleResponse }>();
  let oracle: NovaOracle | undefined;

  beforeAll(async () => {
    if (!availability.ok) throw new Error(`CI is set but Nova cannot run: ${availability.reason}`);
    oracle = await NovaOracle.start(DATASET, NOW);
    const handler = buildHandler();
    for (const c of cases) {
      const nova = await oracle.request({ method: c.method, path: c.path, headers: c.headers, script_name: c.script_name });
      const q = c.path.indexOf('?');
      const ours = await handler({
        method: c.method, path: q === -1 ? c.path : c.path.slice(0, q), query: q === -1 ? '' : c.path.slice(q + 1),
        headers: c.headers, scheme: 'http', scriptName: c.script_name,
      });
      answers.set(c.name, { nova, ours });
    }
  }, 240_000);
  afterAll(() => oracle?.close());

  it('exercises links under the mount: next links, version documents and choices all carry it', () => {
    const bodies = [...answers.values()].map((a) => a.nova.body);
    expect(bodies.some((b) => b.includes(`http://${HOST}/compute/v2.1/os-hypervisors?limit=1&marker=`))).toBe(true);
    expect(bodies.some((b) => b.includes(`"href": "http://${HOST}/compute/v2.1/"`))).toBe(true);
    expect(bodies.some((b) => b.includes(`"href": "http://${HOST}/a/b/v2.1/a/b/foo"`))).toBe(true);
  });

  for (const c of cases) {
    it(c.name, () => {
      const a = answers.get(c.name)!;
      expect(comparable(a.ours)).toEqual(comparable(a.nova));
    });
  }
});
