import type { CredentialResolver, RequestHeaders } from '../credentials.js';
import { headerValue } from '../microversion/headers.js';

/** The header keystonemiddleware's auth_token sets once it has validated the token. */
export const IDENTITY_STATUS_HEADER = 'X-Identity-Status';

/** The first of the headers that is present, as oslo.context's `from_environ` takes it (even when empty). */
const firstHeader = (headers: RequestHeaders, names: ReadonlyArray<string>): string | null => {
  for (const name of names) {
    const value = headerValue(headers, name);
    if (value !== undefined) return value.trim();
  }
  return null;
};

/** A comma-separated role list, each trimmed (oslo.context). */
const roleList = (value: string | null): string[] => (value ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');

/**
 * Credentials from the headers Keystone's auth middleware sets, read as oslo.context's `from_environ`
 * reads them: `X-User-Id` (or `X-User`), `X-Project-Id` (or `X-Tenant-Id`, `X-Tenant`), `X-Roles`
 * (or `X-Role`; comma-separated, trimmed), `OpenStack-System-Scope`, `X-Domain-Id`, `X-User-Domain-Id`,
 * `X-Project-Domain-Id`, `X-Is-Admin-Project` (true unless it says otherwise) and the service token's
 * `X-Service-*`. `is_admin` is left for the policy to compute, as Nova's RequestContext does. Only a
 * request the middleware marked `X-Identity-Status: Confirmed` with a user id has credentials here.
 *
 * Anyone can send these headers: use this resolver only behind a gateway that sets them (and strips
 * clients' own), i.e. only when the operator says so (`credentialResolvers({ trustKeystoneHeaders })`).
 */
export const keystoneHeadersResolver: CredentialResolver = (headers) => {
  if (headerValue(headers, IDENTITY_STATUS_HEADER)?.trim().toLowerCase() !== 'confirmed') return null;
  const userId = firstHeader(headers, ['X-User-Id', 'X-User']);
  if (userId === null || userId === '') return null;
  const serviceUserId = firstHeader(headers, ['X-Service-User-Id']);
  return {
    userId,
    projectId: firstHeader(headers, ['X-Project-Id', 'X-Tenant-Id', 'X-Tenant']),
    roles: roleList(firstHeader(headers, ['X-Roles', 'X-Role'])),
    systemScope: firstHeader(headers, ['OpenStack-System-Scope']),
    domainId: firstHeader(headers, ['X-Domain-Id']),
    userDomainId: firstHeader(headers, ['X-User-Domain-Id']),
    projectDomainId: firstHeader(headers, ['X-Project-Domain-Id']),
    isAdminProject: (firstHeader(headers, ['X-Is-Admin-Project']) ?? 'true').toLowerCase() === 'true',
    ...(serviceUserId === null ? {} : {
      service: {
        userId: serviceUserId,
        userDomainId: firstHeader(headers, ['X-Service-User-Domain-Id']),
        projectId: firstHeader(headers, ['X-Service-Project-Id']),
        projectDomainId: firstHeader(headers, ['X-Service-Project-Domain-Id']),
        roles: roleList(firstHeader(headers, ['X-Service-Roles'])),
      },
    }),
  };
};
