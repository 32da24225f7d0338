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
