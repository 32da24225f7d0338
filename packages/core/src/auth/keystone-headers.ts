import type { CredentialResolver, RequestHeaders } from '../credentials.js';
import { headerValue } from '../microversion/headers.js';

/** The header keystonemiddleware's auth_token sets once it has validated the token. */
export const IDENTITY_STATUS_HEADER = 'X-Identity-Status';

/** The first of the headers that is present and not empty (oslo.context `_ENVIRON_HEADERS` order). */
const firstHeader = (headers: RequestHeaders, names: ReadonlyArray<string>): string | null => {
  for (const name of names) {
    const value = headerValue(headers, name)?.trim();
    if (value !== undefined && value !== '') return value;
  }
  return null;
};

/**
 * Credentials from the headers Keystone's auth middleware sets, read as oslo.context's `from_environ`
 * reads them: `X-User-Id` (or `X-User`), `X-Project-Id` (or `X-Tenant-Id`, `X-Tenant`), `X-Roles`
 * (comma-separated, trimmed), `OpenStack-System-Scope`, `X-Domain-Id`. `is_admin` is what Nova computes
 * at context creation with its defaults: the caller holds the admin role (any case). Only a request the
 * middleware marked `X-Identity-Status: Confirmed` with a user id has credentials here.
 *
 * Anyone can send these headers: use this resolver only behind a gateway that sets them (and strips
 * clients' own), i.e. only when the operator says so (`credentialResolvers({ trustKeystoneHeaders })`).
 */
export const keystoneHeadersResolver: CredentialResolver = (headers) => {
  if (headerValue(headers, IDENTITY_STATUS_HEADER)?.trim().toLowerCase() !== 'confirmed') return null;
  const userId = firstHeader(headers, ['X-User-Id', 'X-User']);
  if (userId === null) return null;
  const roles = (firstHeader(headers, ['X-Roles', 'X-Role']) ?? '').split(',').map((r) => r.trim()).filter((r) => r !== '');
  return {
    userId,
    projectId: firstHeader(headers, ['X-Project-Id', 'X-Tenant-Id', 'X-Tenant']),
    roles,
    systemScope: firstHeader(headers, ['OpenStack-System-Scope']),
    isAdmin: roles.some((r) => r.toLowerCase() === 'admin'),
    domainId: firstHeader(headers, ['X-Domain-Id']),
  };
};
