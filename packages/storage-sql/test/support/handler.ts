import { createHandler, type Credentials, type CoreResponse, type Handler, type HypervisorStorage } from '@os-hypervisors/core';

const ADMIN: Credentials = { userId: 'admin', projectId: 'admin', roles: ['admin', 'member', 'reader'], systemScope: 'all', isAdmin: true };

/** The real core handler over `storage`, with a policy that allows everything system-wide. */
export const handlerOver = (storage: HypervisorStorage): Handler =>
  createHandler({
    storage,
    authorizer: { authorize: () => ({ allowed: true, grant: { kind: 'system' } }) },
    credentialResolvers: [() => ADMIN],
    clock: () => new Date('2025-01-02T03:04:05Z'),
  });

/** `GET /v2.1/<path>` at a microversion. */
export const getAt = (handler: Handler, version: string, pathAndQuery: string): Promise<CoreResponse> => {
  const [path, query = ''] = pathAndQuery.split('?') as [string, string?];
  return handler({ method: 'GET', path: `/v2.1/${path}`, query, headers: { host: 'localhost', 'openstack-api-version': `compute ${version}` } });
};
