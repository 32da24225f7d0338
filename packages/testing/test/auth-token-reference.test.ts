import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  askAuth,
  startAuthTokenReference,
  startFaultProxy,
  startKeystone,
  type AuthTokenReference,
  type FaultProxy,
  type KeystoneHandle,
} from '@os-hypervisors/testing';

// The reference the Keystone resolver is compared with: the real keystonemiddleware auth_token, reaching
// a real Keystone through the fault proxy. Checks that the harness itself works (the full recorded answers
// are docs/keystone-middleware-answers.md).

let ks: KeystoneHandle;
let proxy: FaultProxy;
let reference: AuthTokenReference;

beforeAll(async () => {
  ks = await startKeystone();
  proxy = await startFaultProxy(ks.url);
  await ks.registerEndpoint('identity', 'keystone', `${proxy.url}/v3`);
  reference = await startAuthTokenReference({ keystone: ks, authUrl: proxy.url, wwwAuthenticateUri: 'http://keystone.example:5000' });
}, 180_000);

afterAll(async () => {
  await reference?.stop();
  await proxy?.close();
  await ks?.dispose();
});

const header = (answer: { headers: readonly [string, string][] }, name: string) => answer.headers.find(([k]) => k === name)?.[1];

describe('startAuthTokenReference', () => {
  it('answers 401 with WWW-Authenticate naming www_authenticate_uri when no token comes', async () => {
    const answer = await askAuth(reference.url, {});
    expect(answer.status).toBe(401);
    expect(header(answer, 'www-authenticate')).toBe('Keystone uri="http://keystone.example:5000"');
    expect(JSON.parse(answer.body).error.code).toBe(401);
  });

  it('passes a project admin on with its implied roles, validated through the proxy', async () => {
    const before = proxy.requests.length;
    const answer = await askAuth(reference.url, { 'X-Auth-Token': await ks.issueToken('alphaAdmin') });
    expect(answer.status).toBe(200);
    const seen = JSON.parse(answer.body);
    expect(seen.headers['X-Identity-Status']).toBe('Confirmed');
    expect(seen.headers['X-Project-Id']).toBe(ks.projects.alpha);
    expect(seen.headers['X-Roles'].split(',').sort()).toEqual(['admin', 'member', 'reader']);
    expect(seen.policy_values.user_id).toBe(ks.identities.alphaAdmin.userId);
    expect(proxy.requests.slice(before).some((r) => r.method === 'GET' && r.path.startsWith('/v3/auth/tokens'))).toBe(true);
  });

  it('answers 503 while Keystone is unreachable, and recovers when it is back', async () => {
    const token = await ks.issueToken('alphaMember');
    await proxy.setMode('down');
    try {
      expect((await askAuth(reference.url, { 'X-Auth-Token': token })).status).toBe(503);
    } finally {
      await proxy.setMode('pass');
    }
    expect((await askAuth(reference.url, { 'X-Auth-Token': token })).status).toBe(200);
  });

  it('answers 503 while Keystone answers 500', async () => {
    const token = await ks.issueToken('betaAdmin');
    await proxy.setMode({ status: 500, body: 'boom' });
    try {
      const answer = await askAuth(reference.url, { 'X-Auth-Token': token });
      expect(answer.status).toBe(503);
    } finally {
      await proxy.setMode('pass');
    }
  });
});
