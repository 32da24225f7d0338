import { createHandler, createPolicy, noauth2Resolver, type CredentialSource, type CoreResponse } from '@os-hypervisors/core';
import { MemoryStorage } from '@os-hypervisors/storage-memory';
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { buildSampleDataset } from '../src/sample-dataset.js';

// What the handler does with each thing a credential resolver can say: credentials, not mine (next one),
// a 401 or 503 refusal, a promise of any of these, or a failure. The 401/503 bytes are keystonemiddleware's
// own (recorded from keystonemiddleware 10.1.0 in front of an app; compared live in packages/server/test/keystone).

const policy = createPolicy({ profile: 'spec' });
if (!isRight(policy)) throw new Error('policy');
const storage = new MemoryStorage(buildSampleDataset(new Date('2026-12-03T00:00:00Z')));
const URI = 'http://keystone.example:5000/v3';

const handlerWith = (...credentialResolvers: CredentialSource[]) =>
  createHandler({ storage, authorizer: policy.right, credentialResolvers, requestId: () => 'req-fixed' });

const headerMap = (res: CoreResponse) => Object.fromEntries(res.headers.map(([k, v]) => [k.toLowerCase(), v]));
const get = (resolver: CredentialSource, path = '/v2.1/os-hypervisors', headers: Record<string, string> = {}, method = 'GET') =>
  handlerWith(resolver)({ method, path, query: '', headers: { 'X-Auth-Token': 'admin', ...headers } });

const unauthenticated: CredentialSource = async () => ({ rejected: 'unauthenticated', wwwAuthenticateUri: URI });
const unavailable: CredentialSource = async () => ({ rejected: 'unavailable' });

describe('credential outcomes', () => {
  it('a refusal as 401 is keystonemiddleware\'s, naming www_authenticate_uri, with Nova\'s request id headers', async () => {
    const res = await get(unauthenticated);
    expect(res.status).toBe(401);
    expect(res.body).toBe('{"error": {"code": 401, "title": "Unauthorized", "message": "The request you have made requires authentication."}}');
    expect(headerMap(res)).toEqual({
      'content-type': 'application/json',
      'www-authenticate': `Keystone uri="${URI}"`,
      'x-openstack-request-id': 'req-fixed',
      'x-compute-request-id': 'req-fixed',
    });
  });

  it('a refusal as 503 is webob\'s HTTPServiceUnavailable, its body following Accept', async () => {
    const plain = await get(unavailable);
    expect(plain.status).toBe(503);
    expect(headerMap(plain)['content-type']).toBe('text/plain; charset=UTF-8');
    expect(plain.body).toBe('503 Service Unavailable\n\nThe server is currently unavailable. Please try again at a later time.\n\n The Keystone service is temporarily unavailable.  ');
    const json = await get(unavailable, undefined, { Accept: 'application/json' });
    expect(headerMap(json)['content-type']).toBe('application/json');
    expect(json.body).toBe('{"message": "The server is currently unavailable. Please try again at a later time.<br /><br />\\nThe Keystone service is temporarily unavailable.\\n\\n", "code": "503 Service Unavailable", "title": "Service Unavailable"}');
    const html = await get(unavailable, undefined, { Accept: 'text/html' });
    expect(headerMap(html)['content-type']).toBe('text/html; charset=UTF-8');
    expect(html.body).toContain('<h1>503 Service Unavailable</h1>\n  The server is currently unavailable. Please try again at a later time.<br /><br />\nThe Keystone service is temporarily unavailable.\n\n\n </body>');
    const head = await get(unavailable, undefined, {}, 'HEAD');
    expect([head.status, head.body, headerMap(head)['content-type']]).toEqual([503, '', 'text/html; charset=UTF-8']);
  });

  it('refusals come before routing (an unknown path too), but never for the version documents', async () => {
    expect((await get(unauthenticated, '/v2.1/no-such-thing')).status).toBe(401);
    expect((await get(unavailable, '/v2.1/no-such-thing')).status).toBe(503);
    for (const path of ['/', '/v2.1', '/v2.1/']) {
      expect((await get(unavailable, path)).status, path).toBeLessThan(400);
      expect((await get(unauthenticated, path)).status, path).toBeLessThan(400);
    }
  });

  it('a resolver that fails (throws or rejects) is a 503: never a 500, never a request let through', async () => {
    const rejects: CredentialSource = () => Promise.reject(new Error('boom'));
    expect((await get(rejects)).status).toBe(503);
  });

  it('null from an asynchronous resolver tries the next one; a refusal stops the chain', async () => {
    const notMine: CredentialSource = async () => null;
    expect((await handlerWith(notMine, noauth2Resolver)({ method: 'GET', path: '/v2.1/os-hypervisors', query: '', headers: { 'X-Auth-Token': 'admin' } })).status).toBe(200);
    expect((await handlerWith(unauthenticated, noauth2Resolver)({ method: 'GET', path: '/v2.1/os-hypervisors', query: '', headers: { 'X-Auth-Token': 'admin' } })).status).toBe(401);
    expect((await handlerWith(notMine)({ method: 'GET', path: '/v2.1/os-hypervisors', query: '', headers: {} })).status).toBe(401);
  });

  it('asynchronous and synchronous credentials answer the same bytes', async () => {
    const sync = await handlerWith(noauth2Resolver)({ method: 'GET', path: '/v2.1/os-hypervisors/detail', query: '', headers: { 'X-Auth-Token': 'admin' } });
    const later: CredentialSource = (h) => Promise.resolve(noauth2Resolver(h));
    const async = await handlerWith(later)({ method: 'GET', path: '/v2.1/os-hypervisors/detail', query: '', headers: { 'X-Auth-Token': 'admin' } });
    expect(async).toEqual(sync);
    expect(sync.status).toBe(200);
  });
});
