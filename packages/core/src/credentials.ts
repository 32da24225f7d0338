/**
 * The caller, as oslo.context's `to_policy_values()` sees it (nova/context.py), reduced to what the
 * hypervisor policies can test. Roles are kept as given; implied roles are expanded by the policy layer.
 */
export interface Credentials {
  readonly userId: string | null;
  readonly projectId: string | null;
  readonly roles: ReadonlyArray<string>;
  /** `all` for a system-scoped token (Keystone's `OpenStack-System-Scope`), else null. */
  readonly systemScope: string | null;
  /**
   * Nova's `is_admin`. Absent, it is what Nova's RequestContext computes when nobody says: whether the
   * caller passes the policy's `context_is_admin` rule (with the defaults, holds the admin role).
   */
  readonly isAdmin?: boolean;
  readonly domainId?: string | null;
  readonly userDomainId?: string | null;
  readonly projectDomainId?: string | null;
  /** Keystone's `X-Is-Admin-Project`; oslo.context assumes true when it is absent. */
  readonly isAdminProject?: boolean;
  /** The service token's identity, when a service sends one on the user's behalf (`X-Service-*`). */
  readonly service?: {
    readonly userId: string | null;
    readonly userDomainId: string | null;
    readonly projectId: string | null;
    readonly projectDomainId: string | null;
    readonly roles: ReadonlyArray<string>;
  };
}

export type RequestHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/**
 * Turns request headers into credentials. `null` means "no credentials here": the next resolver in
 * the chain is tried, and when none answers the request is unauthenticated (401).
 */
export type CredentialResolver = (headers: RequestHeaders) => Credentials | null;

/**
 * A resolver's refusal, answered at once as keystonemiddleware's auth_token answers it: `unauthenticated`
 * is its 401 (`WWW-Authenticate: Keystone uri="<wwwAuthenticateUri>"`), `unavailable` its 503 when the
 * identity service cannot be asked (unreachable, timing out, answering 5xx). No later resolver is tried.
 */
export type AuthRejection =
  | { readonly rejected: 'unauthenticated'; readonly wwwAuthenticateUri: string }
  | { readonly rejected: 'unavailable' };

/** What a resolver may say: credentials, not mine (`null`: try the next), or a refusal. */
export type CredentialOutcome = Credentials | AuthRejection | null;

/** A resolver that must ask someone (Keystone): the handler awaits it only when it returns a promise. */
export type AsyncCredentialResolver = (headers: RequestHeaders) => Promise<CredentialOutcome>;

/**
 * Any resolver of the handler's chain. A synchronous one (noauth2, trusted headers) is called and used
 * without a promise or a microtask in between; one returning a promise makes the rest of the chain wait.
 */
export type CredentialSource = (headers: RequestHeaders) => CredentialOutcome | PromiseLike<CredentialOutcome>;

export const isAuthRejection = (outcome: CredentialOutcome): outcome is AuthRejection =>
  outcome !== null && 'rejected' in outcome;
