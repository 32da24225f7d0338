import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/config.js';
import type { Credentials } from '../../src/credentials.js';
import { AUDIT_CREDENTIAL_KINDS, auditPolicy, renderAuditJson, type AuditMatrix } from '../../src/policy/audit.js';
import { hypervisorRuleName, HYPERVISOR_RULES } from '../../src/policy/decision.js';
import { createPolicy, type Policy } from '../../src/policy/policy.js';
import { PROFILES, SYSTEM_READER_OR_PROJECT_ADMIN } from '../../src/policy/profiles.js';

const policyFor = (profile: Profile): Policy => {
  const p = createPolicy({ profile });
  if (isLeft(p)) throw new Error(JSON.stringify(p.left));
  return p.right;
};

/** One line per rule: the decision for each audit caller, `-` for a denial. */
const compact = (m: AuditMatrix): string[] =>
  m.rules.map((r) => `${r.rule.replace(/^os_compute_api:/, '')}: ${AUDIT_CREDENTIAL_KINDS.map((k) => r.decisions[k].grant ?? '-').join(' ')}`);

const caller = (roles: string[], extra: Partial<Credentials> = {}): Credentials =>
  ({ userId: 'u', projectId: 'p1', roles, systemScope: null, isAdmin: roles.some((r) => r.toLowerCase() === 'admin'), ...extra });

describe('profiles load without errors or warnings', () => {
  for (const profile of ['spec', 'nova'] as const) {
    it(profile, () => {
      const policy = policyFor(profile);
      expect(policy.profile).toBe(profile);
      expect(policy.warnings).toEqual([]);
      expect(policy.rules().map((r) => r.name)).toEqual(PROFILES[profile].rules.map((r) => r.name));
    });
  }
  it('createPolicy defaults to the spec profile', () => {
    const p = createPolicy();
    expect(!isLeft(p) && p.right.profile).toBe('spec');
  });
});

describe('spec profile', () => {
  const policy = policyFor('spec');
  it('matrix: list is SYSTEM_READER_OR_PROJECT_ADMIN, everything else SYSTEM_READER', () => {
    // system-reader system-admin project-admin project-member project-reader anonymous is-admin
    expect(compact(auditPolicy(policy))).toEqual([
      'os-hypervisors:list: system system project - - - -',
      'os-hypervisors:list-detail: system system - - - - -',
      'os-hypervisors:statistics: system system - - - - -',
      'os-hypervisors:show: system system - - - - -',
      'os-hypervisors:uptime: system system - - - - -',
      'os-hypervisors:search: system system - - - - -',
      'os-hypervisors:servers: system system - - - - -',
      'os-aggregates:index: system system - - - - -',
      'os-aggregates:show: system system - - - - -',
    ]);
  });
  it('audit JSON snapshot', () => {
    expect(renderAuditJson(auditPolicy(policy))).toMatchSnapshot();
  });
  it('list is SYSTEM_READER_OR_PROJECT_ADMIN, written with the base rules', () => {
    const inline = createPolicy({ overrides: { format: 'json', text: JSON.stringify({ [hypervisorRuleName('list')]: SYSTEM_READER_OR_PROJECT_ADMIN }) } });
    if (isLeft(inline)) throw new Error('inline');
    expect(policy.rule(hypervisorRuleName('list'))!.text).toBe('rule:system_reader_api or rule:project_admin_api');
    expect(policy.rule(hypervisorRuleName('list'))!.branches).toEqual(inline.right.rule(hypervisorRuleName('list'))!.branches);
  });
  it('a project admin passes list through the project branch, with its own project', () => {
    const d = policy.authorize(hypervisorRuleName('list'), caller(['admin']));
    expect(d).toEqual({ allowed: true, grant: { kind: 'project', projectId: 'p1' }, branch: { index: 1, check: 'role:admin and project_id:%(project_id)s', grant: 'project' } });
  });
  it('a system-scoped admin that also has a project is granted system-wide (the widest branch wins)', () => {
    const d = policy.authorize(hypervisorRuleName('list'), caller(['admin'], { systemScope: 'all' }));
    expect(d).toMatchObject({ allowed: true, grant: { kind: 'system' }, branch: { index: 0 } });
  });
  it('a project admin without a project id has nothing to be admin of', () => {
    expect(policy.authorize(hypervisorRuleName('list'), caller(['admin'], { projectId: null })).allowed).toBe(false);
  });
  it('the noauth2 admin (admin, member, reader; system scope all) reads every rule', () => {
    const admin = caller(['admin', 'member', 'reader'], { systemScope: 'all', isAdmin: true, projectId: 'admin' });
    for (const rule of HYPERVISOR_RULES) expect(policy.authorize(hypervisorRuleName(rule), admin)).toMatchObject({ allowed: true, grant: { kind: 'system' } });
  });
  it('role names compare case-insensitively, and Admin implies reader', () => {
    expect(policy.authorize(hypervisorRuleName('show'), caller(['ADMIN'], { systemScope: 'all' })).allowed).toBe(true);
    expect(policy.authorize(hypervisorRuleName('list'), caller(['Admin'])).allowed).toBe(true);
  });
  it('a system-scoped caller with an unrelated role is refused', () => {
    expect(policy.authorize(hypervisorRuleName('list'), caller(['observer'], { systemScope: 'all' })).allowed).toBe(false);
  });
});

describe('nova profile (Zed defaults)', () => {
  const policy = policyFor('nova');
  it('matrix as observed on Zed (policy.md §2, "Zed defaults" column)', () => {
    expect(compact(auditPolicy(policy))).toEqual([
      'os-hypervisors:list: - system system - - - system',
      'os-hypervisors:list-detail: - system system - - - system',
      'os-hypervisors:statistics: - system system - - - system',
      'os-hypervisors:show: - system system - - - system',
      'os-hypervisors:uptime: - system system - - - system',
      'os-hypervisors:search: - system system - - - system',
      'os-hypervisors:servers: - system system - - - system',
      'os-aggregates:index: - system system - - - system',
      'os-aggregates:show: - system system - - - system',
    ]);
  });
  it('audit JSON snapshot', () => {
    expect(renderAuditJson(auditPolicy(policy))).toMatchSnapshot();
  });
  it('rules with a deprecated alternative are (new) or (deprecated)', () => {
    expect(policy.rule(hypervisorRuleName('list'))).toMatchObject({ text: '(rule:context_is_admin) or (rule:admin_api)', source: 'default-or-deprecated' });
    expect(policy.rule('context_is_admin')).toMatchObject({ text: '(role:admin) or (is_admin:True)', source: 'default-or-deprecated' });
    expect(policy.rule('project_member_api')).toMatchObject({ text: '(role:member and project_id:%(project_id)s) or (is_admin:True or project_id:%(project_id)s)' });
    expect(policy.rule(hypervisorRuleName('list'))!.branches.map((b) => b.check)).toEqual(['role:admin', 'is_admin:True']);
  });
  it('a project admin of any project sees everything; "Admin" counts', () => {
    expect(policy.authorize(hypervisorRuleName('list'), caller(['Admin'], { isAdmin: false }))).toMatchObject({ allowed: true, grant: { kind: 'system' }, branch: { check: 'role:admin' } });
  });
  it('the noauth2 admin passes under both branches; is_admin alone passes through the deprecated one', () => {
    expect(policy.authorize(hypervisorRuleName('statistics'), caller([], { isAdmin: true }))).toMatchObject({ allowed: true, branch: { check: 'is_admin:True' } });
  });
  it('project_member_api (deprecated admin_or_owner in Zed) lets nobody in through the project: the hypervisor API\'s target is empty', () => {
    expect(policy.decide('project_member_api', caller([])).allowed).toBe(false);
    expect(policyFor('spec').decide('project_member_api', caller([])).allowed).toBe(false);
  });
});
