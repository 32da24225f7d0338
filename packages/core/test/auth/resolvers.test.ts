import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { keystoneHeadersResolver } from '../../src/auth/keystone-headers.js';
import { noauth2Resolver } from '../../src/auth/noauth2.js';
import { credentialResolvers } from '../../src/auth/resolvers.js';
import type { Credentials, RequestHeaders } from '../../src/credentials.js';

const resolve = (headers: RequestHeaders, trustKeystoneHeaders: boolean): Credentials | null => {
  for (const r of credentialResolvers({ trustKeystoneHeaders })) {
    const c = r(headers);
    if (c !== null) return c;
  }
  return null;
};

describe('noauth2', () => {
  it('user:project', () => {
    expect(noauth2Resolver({ 'X-Auth-Token': 'alice:p1' })).toEqual({ userId: 'alice', projectId: 'p1', roles: [], systemScope: null, isAdmin: false, domainId: null });
  });
  it('the project defaults to the user (also for "user:")', () => {
    expect(noauth2Resolver({ 'x-auth-token': 'bob' })).toMatchObject({ userId: 'bob', projectId: 'bob' });
    expect(noauth2Resolver({ 'x-auth-token': 'bob:' })).toMatchObject({ userId: 'bob', projectId: 'bob' });
  });
  it('only the first colon splits', () => {
    expect(noauth2Resolver({ 'x-auth-token': 'bob:p:1' })).toMatchObject({ userId: 'bob', projectId: 'p:1' });
  });
  it('user admin is is_admin and a system admin (README: so the demo answers under both profiles)', () => {
    expect(noauth2Resolver({ 'X-AUTH-TOKEN': 'admin:admin' })).toEqual({
      userId: 'admin', projectId: 'admin', roles: ['admin', 'member', 'reader'], systemScope: 'all', isAdmin: true, domainId: null,
    });
    expect(noauth2Resolver({ 'x-auth-token': 'Admin' })).toMatchObject({ isAdmin: false, roles: [] });
  });
  it('no token, an empty token or an empty user: no credentials (401)', () => {
    expect(noauth2Resolver({})).toBeNull();
    expect(noauth2Resolver({ 'x-auth-token': '' })).toBeNull();
    expect(noauth2Resolver({ 'x-auth-token': ':p1' })).toBeNull();
  });
  it('any token with a user yields that user', () => {
    fc.assert(fc.property(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), fc.option(fc.stringMatching(/^[a-z0-9_-]{1,12}$/), { nil: undefined }), (user, project) => {
      const c = noauth2Resolver({ 'x-auth-token': project === undefined ? user : `${user}:${project}` });
      expect(c).toMatchObject({ userId: user, projectId: project ?? user, isAdmin: user === 'admin' });
    }));
  });
});

const confirmed = { 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u1', 'X-Project-Id': 'p1', 'X-Roles': 'admin, member ,reader' };

describe('Keystone auth middleware headers', () => {
  it('a confirmed identity', () => {
    expect(keystoneHeadersResolver(confirmed)).toEqual({
      userId: 'u1', projectId: 'p1', roles: ['admin', 'member', 'reader'], systemScope: null, domainId: null, userDomainId: null, projectDomainId: null, isAdminProject: true,
    });
  });
  it('leaves is_admin to the policy (Nova computes it from context_is_admin)', () => {
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Roles': 'Admin' })).not.toHaveProperty('isAdmin');
  });
  it('reads X-Is-Admin-Project (true unless it says otherwise), the domains and the service token', () => {
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Is-Admin-Project': 'False' })).toMatchObject({ isAdminProject: false });
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Is-Admin-Project': 'TRUE' })).toMatchObject({ isAdminProject: true });
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Is-Admin-Project': 'yes' })).toMatchObject({ isAdminProject: false });
    expect(keystoneHeadersResolver({ ...confirmed, 'X-User-Domain-Id': 'ud', 'X-Project-Domain-Id': 'pd' })).toMatchObject({ userDomainId: 'ud', projectDomainId: 'pd' });
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Service-User-Id': 'nova', 'X-Service-Project-Id': 'svc', 'X-Service-Roles': 'service, admin' }))
      .toMatchObject({ service: { userId: 'nova', projectId: 'svc', userDomainId: null, projectDomainId: null, roles: ['service', 'admin'] } });
  });
  it('takes the first header present, even empty, as oslo.context does', () => {
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Project-Id': '', 'X-Tenant-Id': 't1' })).toMatchObject({ projectId: '' });
  });
  it('system scope, domain, and the legacy project headers in oslo.context order', () => {
    expect(keystoneHeadersResolver({ 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u', 'X-Roles': 'reader', 'OpenStack-System-Scope': 'all', 'X-Domain-Id': 'd' }))
      .toMatchObject({ projectId: null, systemScope: 'all', domainId: 'd' });
    expect(keystoneHeadersResolver({ 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u', 'X-Tenant-Id': 't1', 'X-Tenant': 't2' })).toMatchObject({ projectId: 't1' });
    expect(keystoneHeadersResolver({ 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u', 'X-Tenant': 't2' })).toMatchObject({ projectId: 't2' });
    expect(keystoneHeadersResolver({ 'X-Identity-Status': 'Confirmed', 'X-User': 'legacy', 'X-Role': 'reader' })).toMatchObject({ userId: 'legacy', roles: ['reader'] });
  });
  it('repeated X-Roles lines are one list', () => {
    expect(keystoneHeadersResolver({ 'X-Identity-Status': 'Confirmed', 'X-User-Id': 'u', 'x-roles': ['reader', 'member'] })).toMatchObject({ roles: ['reader', 'member'] });
  });
  it('no credentials unless confirmed and with a user id', () => {
    expect(keystoneHeadersResolver({ ...confirmed, 'X-Identity-Status': 'Invalid' })).toBeNull();
    const { 'X-Identity-Status': _s, ...unconfirmed } = confirmed;
    expect(keystoneHeadersResolver(unconfirmed)).toBeNull();
    const { 'X-User-Id': _u, ...anonymous } = confirmed;
    expect(keystoneHeadersResolver(anonymous)).toBeNull();
  });
});

describe('the resolver chain', () => {
  it('untrusted: Keystone headers are ignored entirely', () => {
    expect(resolve(confirmed, false)).toBeNull();
    expect(resolve({ ...confirmed, 'X-Auth-Token': 'alice:p9' }, false)).toMatchObject({ userId: 'alice', projectId: 'p9', roles: [] });
  });
  it('trusted: Keystone first, then noauth2', () => {
    expect(resolve({ ...confirmed, 'X-Auth-Token': 'alice:p9' }, true)).toMatchObject({ userId: 'u1', projectId: 'p1' });
    expect(resolve({ 'X-Auth-Token': 'alice:p9' }, true)).toMatchObject({ userId: 'alice' });
  });
  it('trusted: a token the gateway judged is never read as a noauth2 user', () => {
    expect(resolve({ 'X-Identity-Status': 'Invalid', 'X-Auth-Token': 'admin' }, true)).toBeNull();
    expect(resolve({ 'X-Identity-Status': 'Confirmed', 'X-Auth-Token': 'admin' }, true)).toBeNull();
  });
});
