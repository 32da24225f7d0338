import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PROJECT_IDS, startKeystone, type KeystoneHandle } from '@os-hypervisors/testing';

// The harness's own check: a real Keystone starts, holds the fixture identities, and issues, validates,
// revokes and expires tokens as Keystone does; stopped, it refuses connections; started again, it still
// accepts the tokens it issued before.

let ks: KeystoneHandle;

beforeAll(async () => {
  ks = await startKeystone();
}, 180_000);

afterAll(async () => {
  await ks?.dispose();
});

/** GET /v3/auth/tokens as the service user: Keystone's own answer for `token`. */
async function validate(token: string): Promise<{ status: number; body: any }> {
  const service = await ks.issueToken('service');
  const res = await fetch(`${ks.url}/v3/auth/tokens`, { headers: { 'X-Auth-Token': service, 'X-Subject-Token': token } });
  return { status: res.status, body: await res.json() };
}

const roleNames = (body: any): string[] => body.token.roles.map((r: { name: string }) => r.name).sort();

describe('startKeystone', () => {
  it('serves the identity v3 API on loopback with the fixture identities and fixed project ids', async () => {
    expect(ks.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const v3 = await fetch(`${ks.url}/v3`);
    expect(v3.status).toBe(200);
    expect(((await v3.json()) as any).version.id).toMatch(/^v3\./);
    expect(ks.identities.alphaAdmin.projectId).toBe(PROJECT_IDS.alpha);
    expect(ks.identities.service.projectId).toBe(PROJECT_IDS.service);
    for (const identity of Object.values(ks.identities)) expect(identity.userId).toMatch(/^[0-9a-f]{32}$/);
    expect(Object.keys(ks.roles).sort()).toEqual(['admin', 'member', 'reader', 'service']);
  });

  it('issues project-scoped tokens carrying the implied roles and is_admin_project', async () => {
    const admin = await validate(await ks.issueToken('alphaAdmin'));
    expect(admin.status).toBe(200);
    expect(admin.body.token.project.id).toBe(PROJECT_IDS.alpha);
    expect(admin.body.token.user.id).toBe(ks.identities.alphaAdmin.userId);
    expect(roleNames(admin.body)).toEqual(['admin', 'member', 'reader']);
    expect(admin.body.token.is_admin_project).toBe(false);

    const member = await validate(await ks.issueToken('alphaMember'));
    expect(roleNames(member.body)).toEqual(['member', 'reader']);

    const cloudAdmin = await validate(await ks.issueToken('admin'));
    expect(cloudAdmin.body.token.project.id).toBe(PROJECT_IDS.admin);
    expect(cloudAdmin.body.token.is_admin_project).toBe(true);
  });

  it('issues system-scoped and unscoped tokens', async () => {
    const reader = await validate(await ks.issueToken('systemReader', 'system'));
    expect(reader.status).toBe(200);
    expect(reader.body.token.system).toEqual({ all: true });
    expect(reader.body.token.project).toBeUndefined();
    expect(roleNames(reader.body)).toEqual(['reader']);

    const unscoped = await validate(await ks.issueToken('alphaMember', 'unscoped'));
    expect(unscoped.status).toBe(200);
    expect(unscoped.body.token.project).toBeUndefined();
    expect(unscoped.body.token.system).toBeUndefined();
    expect(unscoped.body.token.roles).toBeUndefined();
  });

  it('issues a token for the service user application credential', async () => {
    const issued = await validate(await ks.issueAppCredentialToken());
    expect(issued.status).toBe(200);
    expect(issued.body.token.methods).toEqual(['application_credential']);
    expect(issued.body.token.application_credential.id).toBe(ks.appCredential.id);
    expect(roleNames(issued.body)).toEqual(['service']);
  });

  it('refuses a wrong password', async () => {
    await expect(ks.issueToken({ ...ks.identities.alphaAdmin, password: 'wrong' })).rejects.toThrow(/401/);
  });

  it('revokes a token: Keystone answers it 404 from then on', async () => {
    const token = await ks.issueToken('betaAdmin');
    expect((await validate(token)).status).toBe(200);
    await ks.revokeToken(token);
    const after = await validate(token);
    expect(after.status).toBe(404);
  });

  it('registers an endpoint in the catalog, replacing an earlier one of the same type', async () => {
    await ks.registerEndpoint('compute', 'nova', 'http://127.0.0.1:1/v2.1');
    await ks.registerEndpoint('compute', 'nova', 'http://127.0.0.1:2/v2.1');
    const res = await fetch(`${ks.url}/v3/auth/catalog`, { headers: { 'X-Auth-Token': await ks.issueToken('alphaMember') } });
    const compute = ((await res.json()) as any).catalog.filter((s: { type: string }) => s.type === 'compute');
    expect(compute).toHaveLength(1);
    expect(compute[0].endpoints.map((e: { interface: string }) => e.interface).sort()).toEqual(['admin', 'internal', 'public']);
    expect(new Set(compute[0].endpoints.map((e: { url: string }) => e.url))).toEqual(new Set(['http://127.0.0.1:2/v2.1']));
  });

  it('hands out an expired token, which Keystone then refuses', async () => {
    const token = await ks.expiredToken('alphaAdmin');
    expect((await validate(token)).status).toBe(404);
  }, 120_000);

  it('stops (connections refused) and starts again on the same port with the same data and keys', async () => {
    const before = await ks.issueToken('alphaAdmin');
    await ks.stop();
    expect(ks.running).toBe(false);
    await expect(fetch(`${ks.url}/v3`)).rejects.toThrow();
    await ks.start();
    expect(ks.running).toBe(true);
    const after = await validate(before);
    expect(after.status).toBe(200);
    expect(after.body.token.project.id).toBe(PROJECT_IDS.alpha);
  }, 120_000);
});
