import 'reflect-metadata';
import { spawn } from 'node:child_process';
import { createHash, randomUUID } from 'node:crypto';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createHandler, createPolicy, type CoreResponse, type Credentials, type CredentialOutcome, type Handler } from '@os-hypervisors/core';
import { redisTokenCache } from '@os-hypervisors/cache-redis';
import { createKeystoneAuth, type KeystoneAuth, type KeystoneAuthOptions, type ServiceCredentials } from '@os-hypervisors/keystone';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { askAuth, startAuthTokenReference, startKeystone, type AuthAnswer, type KeystoneHandle } from '@os-hypervisors/testing';
import { isRight } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildSampleDataset, SAMPLE_PROJECTS, startServer } from '../../src/index.js';
import { startCountingProxy, type CountingProxy } from './counting-proxy.js';

// Keystone authentication against a REAL Keystone (Debian's python3-keystone, started by the harness),
// compared with the REAL keystonemiddleware + oslo.context in front of an app (the harness's reference). Keystone calls are counted
// by a loopback proxy in front of Keystone: the Keystone itself is never imitated.

const WWW = 'http://keystone.example:5000/v3';
const VALIDATE = 'GET /v3/auth/tokens';
const policy = createPolicy({ profile: 'spec' });
if (!isRight(policy)) throw new Error('policy');
const storage = new MemoryStorage(buildSampleDataset(new Date()));

let ks: KeystoneHandle;
let proxy: CountingProxy;
let serviceCredentials: ServiceCredentials;
const opened: KeystoneAuth[] = [];

beforeAll(async () => {
  ks = await startKeystone();
  proxy = await startCountingProxy(ks.url);
  const service = ks.identities.service;
  serviceCredentials = { kind: 'password', user: { name: service.name, domain: { id: 'default' } }, password: service.password, scope: { project: { id: ks.projects.service } } };
}, 180_000);

afterAll(async () => {
  await Promise.all(opened.map((a) => a.close()));
  await proxy?.close();
  await ks?.dispose();
});

const keystoneAuth = (extra: Partial<KeystoneAuthOptions> = {}): KeystoneAuth => {
  const auth = createKeystoneAuth({ authUrl: `${proxy.url}/v3`, serviceCredentials, wwwAuthenticateUri: WWW, timeoutMs: 5000, ...extra });
  opened.push(auth);
  return auth;
};
const handlerOf = (auth: KeystoneAuth): Handler => createHandler({ storage, authorizer: policy.right, credentialResolvers: [auth.resolver] });
const list = (handler: Handler, headers: Record<string, string>, path = '/v2.1/os-hypervisors'): Promise<CoreResponse> =>
  handler({ method: 'GET', path, query: '', headers: { 'OpenStack-API-Version': 'compute 2.88', ...headers } });
const names = (res: CoreResponse): string[] => (JSON.parse(res.body).hypervisors as Array<{ hypervisor_hostname: string }>).map((h) => h.hypervisor_hostname);
const header = (res: CoreResponse, name: string) => res.headers.find(([k]) => k.toLowerCase() === name)?.[1];
const resolve = async (auth: KeystoneAuth, headers: Record<string, string>): Promise<CredentialOutcome> => auth.resolver(headers);

describe('the spec flow with real Keystone tokens', () => {
  it('a project admin lists only what its aggregates grant, a system reader all, a member gets 403', async () => {
    const handler = handlerOf(keystoneAuth());
    const admin = await list(handler, { 'X-Auth-Token': await ks.issueToken('alphaAdmin') });
    const reader = await list(handler, { 'X-Auth-Token': await ks.issueToken('systemReader', 'system') });
    const member = await list(handler, { 'X-Auth-Token': await ks.issueToken('alphaMember') });
    expect([admin.status, reader.status, member.status]).toEqual([200, 200, 403]);
    expect(JSON.parse(member.body)).toEqual({ forbidden: { code: 403, message: "Policy doesn't allow os_compute_api:os-hypervisors:list to be performed." } });
    // The same project admin as a trusted gateway would describe it: the same hosts, a strict subset of all.
    const viaHeaders = await createHandler({ storage, authorizer: policy.right, credentialResolvers: [() => ({ userId: 'u', projectId: SAMPLE_PROJECTS.alpha, roles: ['admin', 'member', 'reader'], systemScope: null })] })(
      { method: 'GET', path: '/v2.1/os-hypervisors', query: '', headers: { 'OpenStack-API-Version': 'compute 2.88' } });
    expect(names(admin)).toEqual(names(viaHeaders));
    expect(names(admin).length).toBeGreaterThan(0);
    expect(names(reader).length).toBeGreaterThan(names(admin).length);
    expect(names(reader)).toEqual(expect.arrayContaining(names(admin)));
  });
});

/** Our credentials as oslo.context's `to_policy_values()` words them (the reference app's `policy_values`). */
const asPolicyValues = (c: Credentials) => ({
  user_id: c.userId, project_id: c.projectId, roles: c.roles, system_scope: c.systemScope, domain_id: c.domainId ?? null,
  user_domain_id: c.userDomainId ?? null, project_domain_id: c.projectDomainId ?? null, is_admin_project: c.isAdminProject ?? true,
  service_user_id: c.service?.userId ?? null, service_user_domain_id: c.service?.userDomainId ?? null,
  service_project_id: c.service?.projectId ?? null, service_project_domain_id: c.service?.projectDomainId ?? null,
  service_roles: c.service?.roles ?? [],
});

describe('the same answers as keystonemiddleware', () => {
  it('every kind of token: the same caller (oslo.context) or the same refusal, byte for byte', async () => {
    const service = await ks.issueToken('service');
    const expired = await ks.expiredToken('alphaAdmin');
    const cases: Array<{ name: string; headers: Record<string, string> }> = [
      { name: 'project admin', headers: { 'X-Auth-Token': await ks.issueToken('alphaAdmin') } },
      { name: 'project member', headers: { 'X-Auth-Token': await ks.issueToken('alphaMember') } },
      { name: 'cloud admin (admin project)', headers: { 'X-Auth-Token': await ks.issueToken('admin') } },
      { name: 'system reader', headers: { 'X-Auth-Token': await ks.issueToken('systemReader', 'system') } },
      { name: 'unscoped', headers: { 'X-Auth-Token': await ks.issueToken('alphaMember', 'unscoped') } },
      { name: 'application credential', headers: { 'X-Auth-Token': await ks.issueAppCredentialToken() } },
      { name: 'legacy X-Storage-Token, padded', headers: { 'X-Storage-Token': ` ${await ks.issueToken('betaAdmin')} ` } },
      { name: 'service token pair', headers: { 'X-Auth-Token': await ks.issueToken('alphaMember'), 'X-Service-Token': service } },
      { name: 'system user with a project service token', headers: { 'X-Auth-Token': await ks.issueToken('systemReader', 'system'), 'X-Service-Token': service } },
      { name: 'expired user token with a service token', headers: { 'X-Auth-Token': expired, 'X-Service-Token': service } },
      { name: 'expired', headers: { 'X-Auth-Token': expired } },
      { name: 'garbage', headers: { 'X-Auth-Token': 'gAAAAAnot-a-token' } },
      { name: 'none', headers: {} },
      { name: 'empty', headers: { 'X-Auth-Token': '' } },
      { name: 'valid user, garbage service token', headers: { 'X-Auth-Token': await ks.issueToken('alphaAdmin'), 'X-Service-Token': 'garbage' } },
      { name: 'service token alone', headers: { 'X-Service-Token': service } },
    ];
    // The real keystonemiddleware (its defaults: service_token_roles_required off) in front of the harness's app.
    const reference = await startAuthTokenReference({ keystone: ks, wwwAuthenticateUri: WWW, options: { service_token_roles_required: 'false' } });
    const theirs: AuthAnswer[] = [];
    try {
      for (const c of cases) theirs.push(await askAuth(`${reference.url}/v2.1/os-hypervisors`, c.headers));
    } finally {
      await reference.stop();
    }
    const handler = handlerOf(keystoneAuth());
    for (const [i, c] of cases.entries()) {
      const expected = theirs[i]!;
      const ours = await resolve(keystoneAuth(), c.headers);
      if (expected.status === 200) {
        expect(ours !== null && !('rejected' in ours) ? asPolicyValues(ours) : ours, c.name).toEqual(JSON.parse(expected.body).policy_values);
      } else {
        const answer = await list(handler, c.headers);
        expect(answer.status, c.name).toBe(expected.status);
        expect(answer.body, c.name).toBe(expected.body);
        const theirHeaders = Object.fromEntries(expected.headers.filter(([k]) => !['content-length', 'date', 'server'].includes(k)).map(([k, v]) => [k.toLowerCase(), v]));
        const ourHeaders = Object.fromEntries(answer.headers.filter(([k]) => !k.toLowerCase().startsWith('x-')).map(([k, v]) => [k.toLowerCase(), v]));
        expect(ourHeaders, c.name).toEqual(theirHeaders);
      }
    }
    // The cases cover both sides: some accepted, some refused.
    expect(theirs.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(8);
    expect(theirs.filter((a) => a.status === 401).length).toBeGreaterThanOrEqual(5);
  }, 180_000);
});

describe('token lifecycle', () => {
  it('a revoked token is refused once its cache entry is gone', async () => {
    const auth = keystoneAuth();
    const handler = handlerOf(auth);
    const token = await ks.issueToken('systemReader', 'system');
    expect((await list(handler, { 'X-Auth-Token': token })).status).toBe(200);
    await ks.revokeToken(token);
    // keystonemiddleware trusts its cache until token_cache_time: so do we.
    expect((await list(handler, { 'X-Auth-Token': token })).status).toBe(200);
    auth.clearCache();
    const refused = await list(handler, { 'X-Auth-Token': token });
    expect([refused.status, header(refused, 'www-authenticate')]).toEqual([401, `Keystone uri="${WWW}"`]);
  });

  it('token_cache_time bounds how long a verdict is trusted', async () => {
    let now = Date.now();
    const auth = keystoneAuth({ tokenCacheTime: 60, now: () => now });
    const token = await ks.issueToken('alphaAdmin');
    await resolve(auth, { 'X-Auth-Token': token });
    await resolve(auth, { 'X-Auth-Token': token });
    expect(auth.stats.keystoneValidations).toBe(1);
    now += 61_000;
    await resolve(auth, { 'X-Auth-Token': token });
    expect(auth.stats.keystoneValidations).toBe(2);
  });

  it('a garbage token is refused, and briefly remembered as such (Keystone asked once)', async () => {
    const auth = keystoneAuth();
    const before = proxy.count(VALIDATE);
    for (let i = 0; i < 3; i++) expect(await resolve(auth, { 'X-Auth-Token': 'garbage' })).toEqual({ rejected: 'unauthenticated', wwwAuthenticateUri: WWW });
    expect(proxy.count(VALIDATE) - before).toBe(1);
  });

  it('the service authenticates once, by password or application credential, and again when Keystone refuses its token', async () => {
    const app = ks.appCredential;
    const auth = keystoneAuth({ serviceCredentials: { kind: 'application-credential', credential: { id: app.id }, secret: app.secret } });
    expect(await resolve(auth, { 'X-Auth-Token': await ks.issueToken('alphaAdmin') })).toMatchObject({ projectId: SAMPLE_PROJECTS.alpha });
    expect(await resolve(auth, { 'X-Auth-Token': await ks.issueToken('betaAdmin') })).toMatchObject({ projectId: ks.projects.beta });
    expect(auth.stats.serviceAuthentications).toBe(1);
    // Its token revoked behind its back: Keystone answers 401 to the validation, the service authenticates
    // again and asks once more (keystonemiddleware's retry), and the caller never notices.
    await ks.revokeToken(proxy.lastHeader('X-Auth-Token')!);
    expect(await resolve(auth, { 'X-Auth-Token': await ks.issueToken('alphaMember') })).toMatchObject({ projectId: SAMPLE_PROJECTS.alpha, roles: expect.arrayContaining(['member', 'reader']) });
    expect(auth.stats.serviceAuthentications).toBe(2);
  });

  it('wrong service credentials: 503, never a request let through', async () => {
    const auth = keystoneAuth({ serviceCredentials: { ...serviceCredentials, password: 'wrong' } as ServiceCredentials });
    const res = await list(handlerOf(auth), { 'X-Auth-Token': await ks.issueToken('systemReader', 'system') });
    expect(res.status).toBe(503);
  });
});

describe('Keystone outages', () => {
  it('Keystone stopped: new tokens get 503 (cached ones still pass); started again: recovers without a restart', async () => {
    const errors: string[] = [];
    const auth = keystoneAuth({ onError: (e) => errors.push(e.message) });
    const handler = handlerOf(auth);
    const cached = await ks.issueToken('systemReader', 'system');
    const fresh = await ks.issueToken('alphaAdmin');
    expect((await list(handler, { 'X-Auth-Token': cached })).status).toBe(200);
    await ks.stop();
    try {
      const down = await list(handler, { 'X-Auth-Token': fresh, Accept: 'application/json' });
      expect(down.status).toBe(503);
      expect(JSON.parse(down.body)).toEqual({ message: 'The server is currently unavailable. Please try again at a later time.<br /><br />\nThe Keystone service is temporarily unavailable.\n\n', code: '503 Service Unavailable', title: 'Service Unavailable' });
      expect((await list(handler, { 'X-Auth-Token': fresh })).status).toBe(503);
      expect((await list(handler, { 'X-Auth-Token': cached })).status).toBe(200);
      expect(errors.length).toBeGreaterThan(0);
      expect(errors.join('\n')).not.toContain(fresh);
    } finally {
      await ks.start();
    }
    const back = await list(handler, { 'X-Auth-Token': fresh });
    expect(back.status).toBe(200);
    expect(names(back).length).toBeGreaterThan(0);
  });
});

describe('the token cache', () => {
  it('100 concurrent requests with one new token make one Keystone validation', async () => {
    const auth = keystoneAuth();
    const handler = handlerOf(auth);
    await resolve(auth, { 'X-Auth-Token': await ks.issueToken('admin') }); // the service token is fetched first
    const token = await ks.issueToken('systemReader', 'system');
    const before = proxy.count(VALIDATE);
    const answers = await Promise.all(Array.from({ length: 100 }, () => list(handler, { 'X-Auth-Token': token })));
    expect(answers.map((a) => a.status)).toEqual(Array(100).fill(200));
    expect(proxy.count(VALIDATE) - before).toBe(1);
    expect(auth.stats.coalesced).toBe(99);
  });

  it('is bounded: past its size the least recently used token is asked again', async () => {
    const auth = keystoneAuth({ tokenCacheSize: 2 });
    const [a, b, c] = await Promise.all([ks.issueToken('alphaAdmin'), ks.issueToken('betaAdmin'), ks.issueToken('alphaMember')]);
    for (const t of [a, b, a, c, a, b]) await resolve(auth, { 'X-Auth-Token': t! });
    // a, b, (a hit), c evicts b, (a hit), b again.
    expect(auth.stats.keystoneValidations).toBe(4);
  });

  it('Redis shares validations between two handler instances, under the token\'s hash only', async () => {
    const keyPrefix = `osh-test-${randomUUID()}:`;
    const first = keystoneAuth({ sharedCache: await redisTokenCache({ url: 'redis://127.0.0.1:6379', keyPrefix }) });
    const second = keystoneAuth({ sharedCache: await redisTokenCache({ url: 'redis://127.0.0.1:6379', keyPrefix }) });
    const token = await ks.issueToken('alphaAdmin');
    const before = proxy.count(VALIDATE);
    expect((await list(handlerOf(first), { 'X-Auth-Token': token })).status).toBe(200);
    expect((await list(handlerOf(second), { 'X-Auth-Token': token })).status).toBe(200);
    expect(proxy.count(VALIDATE) - before).toBe(1);
    expect(second.stats.sharedHits).toBe(1);
    const inspect = await redisTokenCache({ url: 'redis://127.0.0.1:6379', keyPrefix });
    try {
      const stored = await inspect.get(createHash('sha256').update(token).digest('hex'));
      expect(stored).not.toBeNull();
      expect(stored).not.toContain(token);
      expect(await inspect.get(token)).toBeNull();
    } finally {
      await inspect.close();
    }
  });

  it('Redis down costs speed only: validations go to Keystone', async () => {
    const auth = keystoneAuth({ sharedCache: await redisTokenCache({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 }) });
    expect(await resolve(auth, { 'X-Auth-Token': await ks.issueToken('alphaAdmin') })).toMatchObject({ projectId: SAMPLE_PROJECTS.alpha });
  });
});

describe('the server with --auth keystone', () => {
  it.each(['express', 'koa'] as const)('serves over HTTP with Keystone tokens (%s); no token is keystonemiddleware\'s 401', async (framework) => {
    const service = ks.identities.service;
    const running = await startServer({
      port: 0, auth: 'keystone', framework,
      keystone: { authUrl: proxy.url, serviceCredentials: { kind: 'password', user: { name: service.name, domain: { name: 'Default' } }, password: service.password, scope: { project: { name: 'service', domain: { id: 'default' } } } }, wwwAuthenticateUri: WWW },
    });
    try {
      const ok = await fetch(`${running.url}/os-hypervisors`, { headers: { 'X-Auth-Token': await ks.issueToken('systemReader', 'system') } });
      expect(ok.status).toBe(200);
      const none = await fetch(`${running.url}/os-hypervisors`);
      expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, `Keystone uri="${WWW}"`]);
      expect((await fetch(`${running.url}/`)).status).toBe(200);
    } finally {
      await running.close();
    }
  });
});

/** The built CLI (`pnpm test` builds before testing), started with `args` and `env`; resolves its URL. */
const startCli = (args: string[], env: Record<string, string>) => new Promise<{ url: string; stop(): Promise<string> }>((resolveStart, reject) => {
  const cli = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('OS_')));
  const child = spawn(process.execPath, [cli, '--port', '0', ...args], { env: { ...clean, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (d: Buffer) => {
    output += d;
    const m = /listening on (http:\/\/[^\s"]+)/.exec(output);
    if (m !== null) resolveStart({ url: m[1]!, stop: () => new Promise((done) => { child.once('close', () => done(output)); child.kill('SIGTERM'); }) });
  };
  child.stdout.on('data', collect);
  child.stderr.on('data', collect);
  child.once('close', (code) => reject(new Error(`the CLI exited (${code}): ${output}`)));
});

describe.runIf(existsSync(fileURLToPath(new URL('../../dist/cli.js', import.meta.url))))('the CLI with --auth keystone', () => {
  it('takes the service credentials from the OS_* variables, or from --os-cloud in clouds.yaml', async () => {
    const service = ks.identities.service;
    const fromEnv = await startCli(['--auth', 'keystone', '--www-authenticate-uri', WWW], {
      OS_AUTH_URL: ks.url, OS_USERNAME: service.name, OS_PASSWORD: service.password, OS_PROJECT_NAME: 'service',
      OS_USER_DOMAIN_NAME: 'Default', OS_PROJECT_DOMAIN_NAME: 'Default',
    });
    const token = await ks.issueToken('systemReader', 'system');
    try {
      expect((await fetch(`${fromEnv.url}/os-hypervisors`, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
      const none = await fetch(`${fromEnv.url}/os-hypervisors`);
      expect([none.status, none.headers.get('www-authenticate')]).toEqual([401, `Keystone uri="${WWW}"`]);
    } finally {
      expect(await fromEnv.stop()).not.toContain(service.password);
    }
    const dir = mkdtempSync(join(tmpdir(), 'osh-clouds-'));
    try {
      const app = ks.appCredential;
      writeFileSync(join(dir, 'clouds.yaml'), `clouds:\n  test:\n    auth_type: v3applicationcredential\n    auth:\n      auth_url: ${ks.url}/v3\n      application_credential_id: ${app.id}\n      application_credential_secret: ${app.secret}\n`);
      const fromCloud = await startCli(['--auth', 'keystone', '--os-cloud', 'test'], { OS_CLIENT_CONFIG_FILE: join(dir, 'clouds.yaml') });
      try {
        expect((await fetch(`${fromCloud.url}/os-hypervisors`, { headers: { 'X-Auth-Token': token } })).status).toBe(200);
      } finally {
        expect(await fromCloud.stop()).not.toContain(app.secret);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
