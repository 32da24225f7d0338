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
  readonly isAdmin: boolean;
  readonly domainId?: string | null;
}

export type RequestHeaders = Readonly<Record<string, string | ReadonlyArray<string> | undefined>>;

/**
 * Turns request headers into credentials. `null` means "no credentials here": the next resolver in
 * the chain is tried, and when none answers the request is unauthenticated (401).
 */
export type CredentialResolver = (headers: RequestHeaders) => Credentials | null;
