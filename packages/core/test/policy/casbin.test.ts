import { Enforcer, newModelFromString } from 'casbin';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/credentials.js';
import { hypervisorRuleName } from '../../src/policy/decision.js';
import { createPolicy, type Policy } from '../../src/policy/policy.js';
import { policyRequest } from '../../src/policy/request.js';
import { KEYSTONE_IMPLIED_ROLES } from '../../src/policy/roles.js';

const LIST = hypervisorRuleName('list');
const load = (rules: Record<string, string>): Policy => {
  const p = createPolicy({ overrides: { format: 'json', text: JSON.stringify(rules) } });
  if (isLeft(p)) throw new Error(p.left.map((e) => e.message).join('\n'));
  return p.right;
};
const who = (roles: string[], extra: Partial<Credentials> = {}): Credentials =>
  ({ userId: 'u', projectId: 'p1', roles, systemScope: null, isAdmin: false, ...extra });

describe('what casbin enforces', () => {
  it('model text and policy lines are separate, inspectable artifacts', () => {
    const rule = createPolicy();
    if (isLeft(rule)) throw new Error('spec');
    const { casbin } = rule.right.rule(LIST)!;
    expect(casbin.model).toContain('m = eval(p.cond)');
    expect(casbin.model).toContain('p = id, grant, check, cond, v0, v1');
    expect(casbin.lines).toEqual([
      ['0', 'system', 'role:reader and system_scope:all', '(p_v0 in r_roles) && (r_creds.system_scope == p_v1)', 'reader', 'all'],
      ['1', 'project', 'role:admin and project_id:%(project_id)s', '(p_v0 in r_roles) && ((r_target.project_id != null) && (r_creds.project_id == r_target.project_id))', 'admin', ''],
    ]);
  });

  it('a plain casbin Enforcer loaded with the same model and lines decides the same', async () => {
    const p = createPolicy();
    if (isLeft(p)) throw new Error('spec');
    const { casbin } = p.right.rule(LIST)!;
    const model = newModelFromString(casbin.model);
    model.addPolicies('p', 'p', casbin.lines.map((l) => [...l]));
    const enforcer = new Enforcer();
    await enforcer.initWithModelAndAdapter(model);
    for (const c of [who(['admin']), who(['reader'], { systemScope: 'all', projectId: null }), who(['member'])]) {
      const r = policyRequest(c, KEYSTONE_IMPLIED_ROLES, 'caller-project', c.isAdmin ?? null);
      expect(await enforcer.enforce(r.creds, r.target, r.roles)).toBe(p.right.authorize(LIST, c).allowed);
    }
  });

  it('operator text travels as values, never as expression: injection attempts are plain role names', () => {
    const policy = load({ [LIST]: 'role:")||true||("' + ' or role:x"+r_roles+"' + ' or project_id:1)||(1' });
    expect(policy.rule(LIST)!.casbin.lines.map((l) => l[3])).toEqual(['(p_v0 in r_roles)', '(p_v0 in r_roles)', '(r_creds.project_id == p_v0)']);
    expect(policy.authorize(LIST, who([])).allowed).toBe(false);
    expect(policy.authorize(LIST, who(['")||true||("'])).allowed).toBe(true);
  });

  it('target keys and credential names in a rule cannot reach prototype members', () => {
    const policy = load({ [LIST]: 'constructor:x or role:%(constructor)s or __proto__:%(project_id)s or toString:%(project_id)s' });
    expect(policy.rule(LIST)!.branches).toEqual([]);
    expect(policy.authorize(LIST, who(['admin'])).allowed).toBe(false);
  });

  it('a rule nobody passes has no lines; casbin denies', () => {
    const policy = load({ [LIST]: 'role:a and not role:a or !' });
    expect(policy.rule(LIST)!.casbin.lines).toEqual([]);
    expect(policy.authorize(LIST, who(['a'])).allowed).toBe(false);
  });

  it('"@" is one line with the condition true', () => {
    expect(load({ [LIST]: '@' }).rule(LIST)!.casbin.lines).toEqual([['0', 'system', '@', 'true']]);
  });

  it('not is pushed down to the atoms (De Morgan) and contained branches are dropped', () => {
    const policy = load({ [LIST]: 'not (role:a or role:b) or (not role:a and not role:b and role:c)' });
    expect(policy.rule(LIST)!.branches.map((b) => b.check)).toEqual(['not role:a and not role:b']);
    expect(policy.rule(LIST)!.casbin.lines[0]![3]).toBe('!(p_v0 in r_roles) && !(p_v1 in r_roles)');
  });

  it('system branches are tried first, so a caller gets its widest grant', () => {
    const policy = load({ [LIST]: 'project_id:%(project_id)s or role:admin' });
    expect(policy.rule(LIST)!.branches.map((b) => `${b.grant}: ${b.check}`)).toEqual(['system: role:admin', 'project: project_id:%(project_id)s']);
    expect(policy.authorize(LIST, who(['admin']))).toMatchObject({ grant: { kind: 'system' } });
    expect(policy.authorize(LIST, who([]))).toMatchObject({ grant: { kind: 'project', projectId: 'p1' } });
  });

  it('a negated project test does not make a project grant', () => {
    const policy = load({ [LIST]: 'role:x and not project_id:%(project_id)s' });
    expect(policy.rule(LIST)!.branches).toEqual([{ index: 0, check: 'role:x and not project_id:%(project_id)s', grant: 'system' }]);
  });

  it('substitution in role checks and literals on the left compare with the target', () => {
    const policy = load({ [LIST]: "role:x-%(project_id)s or 'p2':%(project_id)s" });
    expect(policy.authorize(LIST, who(['X-P1']))).toMatchObject({ allowed: true, grant: { kind: 'project', projectId: 'p1' } });
    expect(policy.authorize(LIST, who([], { projectId: 'p2' }))).toMatchObject({ allowed: true, grant: { kind: 'project', projectId: 'p2' } });
    expect(policy.authorize(LIST, who(['x-p1'], { projectId: null })).allowed).toBe(false);
  });

  it('generic checks compare str() of the credential: None, True, lists', () => {
    const policy = load({ [LIST]: 'system_scope:None and is_admin_project:True and roles:reader' });
    expect(policy.authorize(LIST, who(['admin'])).allowed).toBe(true);
    expect(policy.authorize(LIST, who(['admin'], { systemScope: 'all' })).allowed).toBe(false);
    expect(policy.authorize(LIST, who(['Reader'])).allowed).toBe(false);
  });
});
