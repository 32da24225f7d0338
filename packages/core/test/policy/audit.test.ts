import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { auditPolicy, checkPolicy, renderAuditCsv, renderAuditJson, renderAuditTable, renderCheckAnswer, resolveRuleName } from '../../src/policy/audit.js';
import { createPolicy, type Policy } from '../../src/policy/policy.js';

const specPolicy = (): Policy => {
  const p = createPolicy({ profile: 'spec' });
  if (isLeft(p)) throw new Error('spec');
  return p.right;
};

describe('audit renderers', () => {
  const matrix = auditPolicy(specPolicy());

  it('JSON: sorted keys, byte-stable across builds', () => {
    const json = renderAuditJson(matrix);
    expect(json).toBe(renderAuditJson(auditPolicy(specPolicy())));
    expect(json.endsWith('}\n')).toBe(true);
    const parsed = JSON.parse(json);
    expect(Object.keys(parsed)).toEqual(['credentials', 'profile', 'rules']);
    expect(Object.keys(parsed.rules[0])).toEqual(['branches', 'check', 'decisions', 'rule', 'source']);
    expect(Object.keys(parsed.rules[0].decisions)).toEqual(['anonymous', 'is-admin', 'project-admin', 'project-member', 'project-reader', 'system-admin', 'system-reader']);
    expect(parsed.rules[0].decisions['project-admin']).toEqual({ allowed: true, branch: 'role:admin and project_id:%(project_id)s', branchNumber: 2, grant: 'project' });
  });

  it('table: rules × callers, then the numbered branches', () => {
    expect(renderAuditTable(matrix)).toMatchInlineSnapshot(`
      "profile: spec

      RULE                 SYSTEM-READER  SYSTEM-ADMIN  PROJECT-ADMIN  PROJECT-MEMBER  PROJECT-READER  ANONYMOUS  IS-ADMIN
      list                 system [1]     system [1]    project [2]    deny            deny            deny       deny
      list-detail          system [1]     system [1]    deny           deny            deny            deny       deny
      statistics           system [1]     system [1]    deny           deny            deny            deny       deny
      show                 system [1]     system [1]    deny           deny            deny            deny       deny
      uptime               system [1]     system [1]    deny           deny            deny            deny       deny
      search               system [1]     system [1]    deny           deny            deny            deny       deny
      servers              system [1]     system [1]    deny           deny            deny            deny       deny
      os-aggregates:index  system [1]     system [1]    deny           deny            deny            deny       deny
      os-aggregates:show   system [1]     system [1]    deny           deny            deny            deny       deny

      branches:
      list = rule:system_reader_api or rule:project_admin_api  (default)
        [1] system: role:reader and system_scope:all
        [2] project: role:admin and project_id:%(project_id)s
      list-detail = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      statistics = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      show = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      uptime = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      search = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      servers = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      os-aggregates:index = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      os-aggregates:show = rule:system_reader_api  (default)
        [1] system: role:reader and system_scope:all
      "
    `);
  });

  it('CSV: one record per rule × caller, RFC 4180 quoting', () => {
    const lines = renderAuditCsv(matrix).split('\r\n');
    expect(lines[0]).toBe('rule,credential,allowed,grant,branch');
    expect(lines[1]).toBe('os_compute_api:os-hypervisors:list,system-reader,true,system,role:reader and system_scope:all');
    expect(lines[3]).toBe('os_compute_api:os-hypervisors:list,project-admin,true,project,role:admin and project_id:%(project_id)s');
    expect(lines[4]).toBe('os_compute_api:os-hypervisors:list,project-member,false,,');
    expect(lines).toHaveLength(1 + 9 * 7 + 1);
    expect(lines.at(-1)).toBe('');
  });

  it('CSV quotes fields with commas and quotes', () => {
    const p = createPolicy({ overrides: { format: 'yaml', text: `"os_compute_api:os-hypervisors:list": 'role:"a,b"'\n` } });
    expect(isRight(p) && renderAuditCsv(auditPolicy(p.right, ['os_compute_api:os-hypervisors:list']))).toContain('false,,\r\n');
    const q = createPolicy({ overrides: { format: 'yaml', text: `"os_compute_api:os-hypervisors:list": '@ and not role:"x,y"'\n` } });
    expect(isRight(q) && renderAuditCsv(auditPolicy(q.right, ['os_compute_api:os-hypervisors:list']))).toContain(',true,system,"not role:""x,y"""\r\n');
  });

  it('lists only rules the policy has, in the order asked', () => {
    expect(auditPolicy(specPolicy(), ['context_is_admin', 'nope', 'admin_api']).rules.map((r) => r.rule)).toEqual(['context_is_admin', 'admin_api']);
  });
});

describe('checkPolicy: one question', () => {
  const policy = specPolicy();
  it('short and full rule names', () => {
    expect(resolveRuleName(policy, 'list')).toEqual({ _tag: 'Right', right: 'os_compute_api:os-hypervisors:list' });
    expect(resolveRuleName(policy, 'os-aggregates:index')).toEqual({ _tag: 'Right', right: 'os_compute_api:os-aggregates:index' });
    expect(resolveRuleName(policy, 'os_compute_api:os-hypervisors:show')).toEqual({ _tag: 'Right', right: 'os_compute_api:os-hypervisors:show' });
    expect(resolveRuleName(policy, 'context_is_admin')).toEqual({ _tag: 'Right', right: 'context_is_admin' });
    const unknown = resolveRuleName(policy, 'lst');
    expect(isLeft(unknown) && unknown.left).toMatch(/^unknown rule "lst"; rules: os_compute_api:os-hypervisors:list, /);
  });
  it('a project admin: allowed through the project branch', () => {
    const answer = checkPolicy(policy, { roles: ['admin'], project: 'P', rule: 'list' });
    if (isLeft(answer)) throw new Error(answer.left);
    expect(answer.right.credentials).toMatchObject({ projectId: 'P', roles: ['admin'], systemScope: null });
    expect(renderCheckAnswer(answer.right)).toBe(
      'ALLOWED os_compute_api:os-hypervisors:list (project grant: only hosts in aggregates whose filter_tenant_id* metadata lists P)\n'
      + '  via branch [2]: role:admin and project_id:%(project_id)s\n',
    );
  });
  it('a system reader: allowed system-wide; a member: denied', () => {
    const reader = checkPolicy(policy, { roles: ['reader'], systemScope: 'all', rule: 'show' });
    expect(isRight(reader) && renderCheckAnswer(reader.right)).toBe('ALLOWED os_compute_api:os-hypervisors:show (system grant: every hypervisor)\n  via branch [1]: role:reader and system_scope:all\n');
    const member = checkPolicy(policy, { roles: ['member'], project: 'P', rule: 'list' });
    expect(isRight(member) && renderCheckAnswer(member.right)).toBe('DENIED os_compute_api:os-hypervisors:list\n');
  });
  it('is_admin defaults to "holds the admin role" and can be given', () => {
    const nova = createPolicy({ profile: 'nova' });
    if (isLeft(nova)) throw new Error('nova');
    const flagOnly = checkPolicy(nova.right, { roles: [], project: 'P', isAdmin: true, rule: 'list' });
    expect(isRight(flagOnly) && flagOnly.right.decision).toMatchObject({ allowed: true, branch: { check: 'is_admin:True' } });
    const none = checkPolicy(nova.right, { roles: [], project: 'P', rule: 'list' });
    expect(isRight(none) && none.right.decision.allowed).toBe(false);
  });
});
