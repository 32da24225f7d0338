import type { Credentials } from '../credentials.js';

/** The rules this API checks, by their oslo.policy names (nova/policies/hypervisors.py). */
export const HYPERVISOR_RULE_PREFIX = 'os_compute_api:os-hypervisors:';
export const HYPERVISOR_RULES = ['list', 'list-detail', 'statistics', 'show', 'uptime', 'search', 'servers'] as const;
export type HypervisorRule = (typeof HYPERVISOR_RULES)[number];

/** Read-only aggregates routes served so clients such as `openstack hypervisor show` work unchanged. */
export const AGGREGATE_RULES = ['os_compute_api:os-aggregates:index', 'os_compute_api:os-aggregates:show'] as const;
export type AggregateRule = (typeof AGGREGATE_RULES)[number];

export type PolicyRuleName = `${typeof HYPERVISOR_RULE_PREFIX}${HypervisorRule}` | AggregateRule;

export const hypervisorRuleName = (rule: HypervisorRule): PolicyRuleName => `${HYPERVISOR_RULE_PREFIX}${rule}`;

/**
 * How access was granted. `system`: through a branch that does not depend on the target's project
 * (system reader, admin role, is_admin). `project`: only through a branch that matched the target
 * `project_id` to the caller's own, so the caller sees only what its project is granted.
 */
export type Grant = { readonly kind: 'system' } | { readonly kind: 'project'; readonly projectId: string };

export type Decision =
  | { readonly allowed: true; readonly grant: Grant }
  | { readonly allowed: false };

/** The policy port the handler consults: one decision per request. */
export interface Authorizer {
  authorize(rule: PolicyRuleName, credentials: Credentials): Decision;
}
