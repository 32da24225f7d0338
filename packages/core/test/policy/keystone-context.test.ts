import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { keystoneHeadersResolver } from '../../src/auth/keystone-headers.js';
import type { Profile } from '../../src/config.js';
import type { Credentials } from '../../src/credentials.js';
import { createPolicy, type Policy } from '../../src/policy/policy.js';

// What Nova's RequestContext makes of Keystone's headers, as the policy sees it (reference policy.md §1.1–1.2).

const LIST = 'os_compute_api:os-hypervisors:list';

const load = (profile: Profile, text: string): Policy => {
  const p = createPolicy({ profile, overrides: { format: 'yaml', text } });
  if (isLeft(p)) throw new Error(JSON.stringify(p.left));
  return p.right;
};

const keystone = (headers: Record<string, string>): Credentials => {
  const c = keystoneHeadersResolver({ 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u1', 'X-Project-Id': 'p1', ...headers });
  if (c === null) throw new Error('no credentials');
  return c;
};

describe('is_admin, when the credentials do not carry it, is the policy\'s own context_is_admin', () => {
  const custom = load('nova', '"context_is_admin": "role:cloud_admin"');

  it('an overridden context_is_admin decides who is_admin (and so who passes rule:context_is_admin)', () => {
    expect(custom.authorize(LIST, keystone({ 'X-Roles': 'admin' })).allowed).toBe(false);
    expect(custom.authorize(LIST, keystone({ 'X-Roles': 'cloud_admin' })).allowed).toBe(true);
  });

  it('is_admin:True follows context_is_admin too', () => {
    const p = load('nova', `"context_is_admin": "role:cloud_admin"\n"${LIST}": "is_admin:True"`);
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'admin' })).allowed).toBe(false);
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'cloud_admin' })).allowed).toBe(true);
  });

  it('with the defaults it is "holds the admin role", any case', () => {
    const p = load('nova', `"${LIST}": "is_admin:True"`);
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'Admin' })).allowed).toBe(true);
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'member' })).allowed).toBe(false);
  });

  it('credentials that carry is_admin (noauth2) keep it', () => {
    const p = load('nova', `"context_is_admin": "role:cloud_admin"\n"${LIST}": "is_admin:True"`);
    expect(p.authorize(LIST, { userId: 'admin', projectId: 'admin', roles: [], systemScope: null, isAdmin: true }).allowed).toBe(true);
  });
});

describe('X-Is-Admin-Project', () => {
  const p = load('spec', `"${LIST}": "role:admin and is_admin_project:True"`);

  it('Keystone\'s admin-project pattern admits only the admin project\'s admins', () => {
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'admin', 'X-Is-Admin-Project': 'False' })).allowed).toBe(false);
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'admin', 'X-Is-Admin-Project': 'True' })).allowed).toBe(true);
  });

  it('is true when Keystone does not send it (oslo.context keeps old policies working)', () => {
    expect(p.authorize(LIST, keystone({ 'X-Roles': 'admin' })).allowed).toBe(true);
  });
});

describe('domains and service tokens reach generic checks', () => {
  it('user_domain_id and service_roles', () => {
    const p = load('spec', `"${LIST}": "user_domain_id:default and service_roles:service"`);
    expect(p.authorize(LIST, keystone({ 'X-User-Domain-Id': 'default', 'X-Service-User-Id': 'nova', 'X-Service-Roles': 'service' })).allowed).toBe(true);
    expect(p.authorize(LIST, keystone({ 'X-User-Domain-Id': 'default' })).allowed).toBe(false);
  });
});

describe('the target', () => {
  const rule = `"${LIST}": "role:admin and project_id:%(project_id)s"`;

  it('nova: empty, as Nova\'s hypervisor API passes it, so project_id:%(project_id)s never holds', () => {
    expect(load('nova', rule).authorize(LIST, keystone({ 'X-Roles': 'admin' })).allowed).toBe(false);
  });

  it('spec: the caller\'s own project, so the project-admin branch can grant', () => {
    expect(load('spec', rule).authorize(LIST, keystone({ 'X-Roles': 'admin' }))).toMatchObject({ allowed: true, grant: { kind: 'project', projectId: 'p1' } });
  });
});

describe('warnings on project branches of the API rules', () => {
  it('spec: a branch testing only the target\'s project admits any caller of the project', () => {
    expect(load('spec', `"${LIST}": "project_id:%(project_id)s"`).warnings.map((w) => w.message))
      .toEqual([`rule "${LIST}": branch [1] project_id:%(project_id)s admits any caller of its own project, whatever its roles`]);
    expect(load('spec', `"${LIST}": "role:admin and project_id:%(project_id)s"`).warnings).toEqual([]);
  });

  it('nova: a project branch never passes (empty target)', () => {
    expect(load('nova', `"${LIST}": "role:admin and project_id:%(project_id)s"`).warnings.map((w) => w.message))
      .toEqual([`rule "${LIST}": branch [1] role:admin and project_id:%(project_id)s never passes under the nova profile: the target is empty, as in Nova`]);
  });
});
