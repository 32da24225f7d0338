import * as t from 'io-ts';
import type { Credentials } from '@os-hypervisors/core';

const IdName = t.intersection([t.type({ id: t.string }), t.partial({ name: t.string })]);
const Owned = t.intersection([IdName, t.type({ domain: IdName })]);

/**
 * The part of Keystone v3's token body (`GET /v3/auth/tokens`) that keystonemiddleware turns into the
 * request's identity: who, scoped to what, with which roles (Keystone lists implied roles too), until when.
 */
export const TokenBody = t.type({
  token: t.intersection([
    t.type({ expires_at: t.string, user: Owned }),
    t.partial({
      roles: t.array(IdName),
      project: Owned,
      domain: IdName,
      system: t.partial({ all: t.boolean }),
      is_admin_project: t.boolean,
      application_credential: t.partial({ access_rules: t.union([t.array(t.unknown), t.null]) }),
    }),
  ]),
});
export type TokenBody = t.TypeOf<typeof TokenBody>;

/** One validated token, reduced to what a request needs (no token text, no catalog): what the caches keep. */
export const TokenIdentity = t.type({
  /** Epoch milliseconds. */
  expiresAt: t.number,
  userId: t.string,
  userDomainId: t.string,
  projectId: t.union([t.string, t.null]),
  projectDomainId: t.union([t.string, t.null]),
  domainId: t.union([t.string, t.null]),
  roles: t.array(t.string),
  systemScope: t.union([t.string, t.null]),
  isAdminProject: t.boolean,
  /** An application credential's access rules restrict the token to listed requests (see `credentialsFor`). */
  accessRestricted: t.boolean,
});
export type TokenIdentity = t.TypeOf<typeof TokenIdentity>;

/** Keystone writes `2026-12-03T20:15:00.000000Z`; Date parses it (extra fraction digits ignored). */
const parseExpiry = (value: string): number => Date.parse(value);

/** keystoneauth's `AccessInfoV3` properties, as keystonemiddleware's `_request` reads them. */
export const tokenIdentity = ({ token }: TokenBody): TokenIdentity | null => {
  const expiresAt = parseExpiry(token.expires_at);
  if (Number.isNaN(expiresAt)) return null;
  return {
    expiresAt,
    userId: token.user.id,
    userDomainId: token.user.domain.id,
    projectId: token.project?.id ?? null,
    projectDomainId: token.project?.domain.id ?? null,
    domainId: token.domain?.id ?? null,
    roles: (token.roles ?? []).map((r) => r.name ?? r.id),
    // `_get_system_scope`: 'all' for a system-scoped token, else nothing.
    systemScope: token.system?.all === true ? 'all' : null,
    // `AccessInfoV3.is_admin_project` defaults to True when Keystone says nothing.
    isAdminProject: token.is_admin_project ?? true,
    accessRestricted: token.application_credential?.access_rules != null,
  };
};

/**
 * The caller as oslo.context's `from_environ` reads the headers keystonemiddleware set: the same fields
 * as core's `keystoneHeadersResolver` yields behind a trusted gateway. With a valid service token,
 * keystonemiddleware writes `OpenStack-System-Scope` a second time from the SERVICE token
 * (`_set_auth_headers` uses one header name for both prefixes), so the service token's scope wins; kept.
 */
export const credentialsFor = (user: TokenIdentity, service: TokenIdentity | null): Credentials => ({
  userId: user.userId,
  projectId: user.projectId,
  roles: user.roles,
  systemScope: service === null ? user.systemScope : service.systemScope,
  domainId: user.domainId,
  userDomainId: user.userDomainId,
  projectDomainId: user.projectDomainId,
  isAdminProject: user.isAdminProject,
  ...(service === null ? {} : {
    service: {
      userId: service.userId,
      userDomainId: service.userDomainId,
      projectId: service.projectId,
      projectDomainId: service.projectDomainId,
      roles: service.roles,
    },
  }),
});
