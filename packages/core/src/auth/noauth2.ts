import type { CredentialResolver, Credentials } from '../credentials.js';
import { headerValue } from '../microversion/headers.js';

/** The noauth2 user that is an administrator (nova/api/openstack/auth.py). */
export const NOAUTH2_ADMIN_USER = 'admin';

/**
 * Dev authentication compatible with Nova's `noauth2`: `X-Auth-Token: user[:project]`, the project
 * defaulting to the user. User `admin` has `is_admin` and, so that the demo answers under both profiles,
 * is also a system admin (roles admin, member, reader; system scope `all`); any other user is a plain
 * user of that project with no roles. No token (or an empty user) yields no credentials: the handler
 * answers 401, as behind Keystone, where Nova's noauth2 would hand out a made-up token.
 */
export const noauth2Resolver: CredentialResolver = (headers) => {
  const token = headerValue(headers, 'x-auth-token')?.trim();
  if (token === undefined || token === '') return null;
  const colon = token.indexOf(':');
  const userId = colon < 0 ? token : token.slice(0, colon);
  if (userId === '') return null;
  const projectId = (colon < 0 ? '' : token.slice(colon + 1)) || userId;
  const admin = userId === NOAUTH2_ADMIN_USER;
  const credentials: Credentials = {
    userId,
    projectId,
    roles: admin ? ['admin', 'member', 'reader'] : [],
    systemScope: admin ? 'all' : null,
    isAdmin: admin,
    domainId: null,
  };
  return credentials;
};
