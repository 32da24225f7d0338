import type { Credentials } from '../credentials.js';
import { expandImpliedRoles, type ImpliedRoles } from './roles.js';

/**
 * What one policy question is asked about, in oslo's terms: the credentials dict Nova passes
 * (nova/context.py `to_policy_values()`, values as Python's `str()` shows them, since generic checks
 * compare `str(value)`), the target, and the caller's roles for `role:` checks (implied roles added,
 * lower-cased).
 */
export interface PolicyRequest {
  readonly creds: Readonly<Record<string, string | ReadonlyArray<string>>>;
  readonly target: Readonly<Record<string, string>>;
  readonly roles: ReadonlyArray<string>;
}

/** Keys of `to_policy_values()` holding one value; generic checks on any other single key are false. */
export const SCALAR_CREDENTIAL_KEYS = [
  'user_id', 'user_domain_id', 'system_scope', 'domain_id', 'project_id', 'project_domain_id', 'is_admin_project',
  'service_user_id', 'service_user_domain_id', 'service_project_id', 'service_project_domain_id', 'is_admin',
] as const;
/** Keys of `to_policy_values()` holding a list: a generic check matches any element. */
export const LIST_CREDENTIAL_KEYS = ['roles', 'service_roles'] as const;

/**
 * The target's keys. Nova's hypervisor API checks an empty target (policy.md §1.1), which makes
 * `project_id:%(project_id)s` always false: the `nova` profile does the same. Under `spec` the target is
 * the caller's own project so that a project-scoped branch can grant (§3.2). Any other `%(key)s` is a
 * missing key: the check is false.
 */
export const TARGET_KEYS = ['project_id'] as const;
export const TARGET_PROJECT_KEY = 'project_id';

const pyStr = (value: string | boolean | null | undefined): string =>
  value === null || value === undefined ? 'None' : value === true ? 'True' : value === false ? 'False' : value;

/** Objects without a prototype, so a key such as `constructor` is simply absent. */
const record = <V>(entries: ReadonlyArray<readonly [string, V]>): Record<string, V> => Object.assign(Object.create(null), Object.fromEntries(entries));

/** Whose target: the caller's own project (`spec`, and Nova's `default_target` for `context_is_admin`), or Nova's empty one. */
export type TargetKind = 'caller-project' | 'empty';

/**
 * The question for one rule. `isAdmin` is the `is_admin` value in force: the credentials' own, or what
 * `context_is_admin` decided; `null` while that very rule is being decided (Nova's context has `None` then).
 */
export const policyRequest = (credentials: Credentials, implied: ImpliedRoles, target: TargetKind, isAdmin: boolean | null): PolicyRequest => {
  const roles = expandImpliedRoles(credentials.roles, implied);
  const service = credentials.service;
  const creds = record<string | ReadonlyArray<string>>([
    ['user_id', pyStr(credentials.userId)],
    ['user_domain_id', pyStr(credentials.userDomainId)],
    ['system_scope', pyStr(credentials.systemScope)],
    ['domain_id', pyStr(credentials.domainId)],
    ['project_id', pyStr(credentials.projectId)],
    ['project_domain_id', pyStr(credentials.projectDomainId)],
    ['roles', roles],
    // oslo.context defaults is_admin_project to true when Keystone does not say otherwise.
    ['is_admin_project', pyStr(credentials.isAdminProject ?? true)],
    ['service_user_id', pyStr(service?.userId)],
    ['service_user_domain_id', pyStr(service?.userDomainId)],
    ['service_project_id', pyStr(service?.projectId)],
    ['service_project_domain_id', pyStr(service?.projectDomainId)],
    ['service_roles', service?.roles ?? []],
    ['is_admin', pyStr(isAdmin)],
  ]);
  const targetEntries = target === 'caller-project' && credentials.projectId !== null ? [[TARGET_PROJECT_KEY, credentials.projectId] as const] : [];
  return { creds, target: record<string>(targetEntries), roles: roles.map((r) => r.toLowerCase()) };
};
