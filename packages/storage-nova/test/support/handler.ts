import { createHandler, datasetUptimeProvider, type Credentials, type CoreResponse, type Handler, type HypervisorStorage, type UptimeProvider } from '@os-hypervisors/core';

const ADMIN: Credentials = { userId: 'admin', projectId: 'admin', roles: ['admin', 'member', 'reader'], systemScope: 'all', isAdmin: true };
export const NOW = new Date('2026-11-22T12:00:00Z');

/**
 * The real core handler over `storage`: every call allowed system-wide, or only through the project branch
 * (`project`: the spec's SYSTEM_READER_OR_PROJECT_ADMIN for a project admin).
 */
export const handlerOver = (storage: HypervisorStorage, options: { project?: string; uptime?: UptimeProvider } = {}): Handler =>
  createHandler({
    storage,
    uptime: options.uptime ?? datasetUptimeProvider,
    authorizer: { authorize: () => ({ allowed: true, grant: options.project === undefined ? { kind: 'system' } : { kind: 'project', projectId: options.project } }) },
    credentialResolvers: [() => (options.project === undefined ? ADMIN : { ...ADMIN, projectId: options.project, systemScope: null })],
    clock: () => NOW,
    requestId: () => 'req-test',
  });

export interface Answer {
  readonly status: number;
  readonly body: Record<string, unknown>;
}

/** `GET /v2.1/<path>` at a microversion; the body parsed. */
export const getAt = async (handler: Handler, version: string, pathAndQuery: string): Promise<Answer & { readonly raw: CoreResponse }> => {
  const [path, query = ''] = pathAndQuery.split('?') as [string, string?];
  const raw = await handler({ method: 'GET', path: `/v2.1/${path}`, query, headers: { host: 'localhost', 'openstack-api-version': `compute ${version}` } });
  return { status: raw.status, body: JSON.parse(raw.body) as Record<string, unknown>, raw };
};

export const hypervisorsOf = (a: Answer): Array<Record<string, unknown>> => a.body.hypervisors as Array<Record<string, unknown>>;
