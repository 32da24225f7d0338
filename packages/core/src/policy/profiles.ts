import type { Profile } from '../config.js';
import { AGGREGATE_RULES, HYPERVISOR_RULES, hypervisorRuleName } from './decision.js';

/** A registered default, as oslo.policy's `RuleDefault` (name, check string, deprecated alternative). */
export interface RuleDefault {
  readonly name: string;
  readonly check: string;
  readonly description: string;
  /** Documented only: neither profile enforces scope (see docs/policy.md). */
  readonly scopeTypes?: ReadonlyArray<'system' | 'project'>;
  readonly deprecated?: { readonly name: string; readonly check: string };
}

export interface PolicyProfile {
  readonly name: Profile;
  /**
   * oslo.policy `[oslo_policy] enforce_new_defaults`. False (Nova Zed) evaluates a rule that has a
   * deprecated alternative, and that the operator did not override, as `(new) or (deprecated)`.
   */
  readonly enforceNewDefaults: boolean;
  readonly rules: ReadonlyArray<RuleDefault>;
}

// oslo.policy syntax for the reference README's names.
export const SYSTEM_READER = 'role:reader and system_scope:all';
export const PROJECT_ADMIN = 'role:admin and project_id:%(project_id)s';
export const SYSTEM_READER_OR_PROJECT_ADMIN = `${SYSTEM_READER} or (${PROJECT_ADMIN})`;
export const ADMIN = 'rule:context_is_admin';

/** nova/policies/hypervisors.py: every granular rule replaced the one pre-Ussuri rule. */
const DEPRECATED_HYPERVISORS = { name: 'os_compute_api:os-hypervisors', check: 'rule:admin_api' } as const;
/** nova/policies/base.py DEPRECATED_ADMIN_OR_OWNER_POLICY (its name really is `rule:admin_or_owner`). */
const DEPRECATED_ADMIN_OR_OWNER = { name: 'rule:admin_or_owner', check: 'is_admin:True or project_id:%(project_id)s' } as const;

/**
 * nova/policies/base.py, every release from Ussuri to master (policy.md §3.1), so that operator files can
 * reference any of them. Deprecated alternatives are Zed's.
 */
const BASE_RULES: ReadonlyArray<RuleDefault> = [
  // Nova's DEPRECATED_ADMIN_POLICY is named `rule:admin_api` (sic); kept, since oslo keys aliases by name.
  { name: 'context_is_admin', check: 'role:admin', description: "Decides what is required for the 'is_admin:True' check to succeed.", deprecated: { name: 'rule:admin_api', check: 'is_admin:True' } },
  { name: 'admin_or_owner', check: 'is_admin:True or project_id:%(project_id)s', description: 'Default rule for most non-Admin APIs (deprecated for removal).' },
  { name: 'admin_api', check: 'is_admin:True', description: 'Default rule for most Admin APIs (deprecated for removal).' },
  { name: 'system_admin_api', check: 'role:admin and system_scope:all', description: 'System admin (Ussuri to Xena).' },
  { name: 'system_reader_api', check: SYSTEM_READER, description: 'System reader (Ussuri to Xena).' },
  { name: 'project_admin_api', check: PROJECT_ADMIN, description: 'Project admin (Ussuri to Yoga).' },
  { name: 'project_member_api', check: 'role:member and project_id:%(project_id)s', description: 'Default rule for Project level non admin APIs.', deprecated: DEPRECATED_ADMIN_OR_OWNER },
  { name: 'project_reader_api', check: 'role:reader and project_id:%(project_id)s', description: 'Default rule for Project level read only APIs.', deprecated: DEPRECATED_ADMIN_OR_OWNER },
  { name: 'system_admin_or_owner', check: 'rule:system_admin_api or rule:project_member_api', description: 'System admin or project member (Ussuri to Xena).' },
  { name: 'system_or_project_reader', check: 'rule:system_reader_api or rule:project_reader_api', description: 'System or project reader (Ussuri to Xena).' },
  { name: 'project_reader_or_admin', check: 'rule:project_reader_api or rule:context_is_admin', description: 'Default rule for Project reader or admin APIs.', deprecated: DEPRECATED_ADMIN_OR_OWNER },
  { name: 'project_member_or_admin', check: 'rule:project_member_api or rule:context_is_admin', description: 'Default rule for Project Member or admin APIs.', deprecated: DEPRECATED_ADMIN_OR_OWNER },
  { name: 'project_manager_api', check: 'role:manager and project_id:%(project_id)s', description: 'Project manager (2025.2 onward).' },
  { name: 'service_api', check: 'role:service', description: 'Service role (2025.2 onward).' },
  { name: 'project_manager_or_admin', check: 'rule:project_manager_api or rule:context_is_admin', description: 'Project manager or admin (2025.2 onward).' },
  { name: 'service_or_admin', check: 'rule:service_api or rule:context_is_admin', description: 'Service or admin (2025.2 onward).' },
];

const HYPERVISOR_DESCRIPTIONS: Record<(typeof HYPERVISOR_RULES)[number], string> = {
  list: 'GET /os-hypervisors',
  'list-detail': 'GET /os-hypervisors/detail',
  statistics: 'GET /os-hypervisors/statistics',
  show: 'GET /os-hypervisors/{hypervisor_id}',
  uptime: 'GET /os-hypervisors/{hypervisor_id}/uptime',
  search: 'GET /os-hypervisors/{hypervisor_hostname_pattern}/search',
  servers: 'GET /os-hypervisors/{hypervisor_hostname_pattern}/servers',
};
const AGGREGATE_DESCRIPTIONS: Record<(typeof AGGREGATE_RULES)[number], string> = {
  'os_compute_api:os-aggregates:index': 'GET /os-aggregates',
  'os_compute_api:os-aggregates:show': 'GET /os-aggregates/{aggregate_id}',
};

const apiRules = (hypervisorCheck: (rule: (typeof HYPERVISOR_RULES)[number]) => string, aggregateCheck: string): RuleDefault[] => [
  ...HYPERVISOR_RULES.map((rule) => ({
    name: hypervisorRuleName(rule),
    check: hypervisorCheck(rule),
    description: HYPERVISOR_DESCRIPTIONS[rule],
    scopeTypes: ['project'] as const,
    deprecated: DEPRECATED_HYPERVISORS,
  })),
  ...AGGREGATE_RULES.map((name) => ({ name, check: aggregateCheck, description: AGGREGATE_DESCRIPTIONS[name], scopeTypes: ['project'] as const })),
];

/**
 * As Nova's own Ussuri–Xena aliases (`SYSTEM_READER = 'rule:system_reader_api'`), the spec profile's API
 * rules reference the base rules, so an operator retargets all of them by overriding one base rule.
 */
const SPEC_SYSTEM_READER = 'rule:system_reader_api';
const SPEC_SYSTEM_READER_OR_PROJECT_ADMIN = 'rule:system_reader_api or rule:project_admin_api';

/**
 * The two default rule sets (reference README, "Decisions"). `spec`: the Wallaby spec's
 * SYSTEM_READER_OR_PROJECT_ADMIN for `list`, SYSTEM_READER elsewhere, new defaults enforced; the aggregate
 * read rules are SYSTEM_READER too, so that a project admin does not learn other projects' aggregates.
 * `nova`: Nova Zed's defaults (`rule:context_is_admin`) with its deprecated alternatives in force.
 */
export const PROFILES: Readonly<Record<Profile, PolicyProfile>> = {
  spec: {
    name: 'spec',
    enforceNewDefaults: true,
    rules: [...apiRules((rule) => (rule === 'list' ? SPEC_SYSTEM_READER_OR_PROJECT_ADMIN : SPEC_SYSTEM_READER), SPEC_SYSTEM_READER), ...BASE_RULES],
  },
  nova: {
    name: 'nova',
    enforceNewDefaults: false,
    rules: [...apiRules(() => ADMIN, ADMIN), ...BASE_RULES],
  },
};

/** The rules this API checks, in a fixed order (hypervisor rules, then aggregate rules). */
export const API_RULE_NAMES: ReadonlyArray<string> = [...HYPERVISOR_RULES.map(hypervisorRuleName), ...AGGREGATE_RULES];
