import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Profile } from '../../src/config.js';
import type { Credentials } from '../../src/credentials.js';
import { hypervisorRuleName, HYPERVISOR_RULES } from '../../src/policy/decision.js';
import { createPolicy, type Policy, type PolicyOptions } from '../../src/policy/policy.js';

const LIST = hypervisorRuleName('list');
const SHOW = hypervisorRuleName('show');

const load = (text: string, format: 'yaml' | 'json' = 'yaml', profile: Profile = 'spec', extra: Partial<PolicyOptions> = {}): Policy => {
  const p = createPolicy({ profile, overrides: { text, format }, ...extra });
  if (isLeft(p)) throw new Error(p.left.map((e) => e.message).join('\n'));
  return p.right;
};
const problems = (text: string, format: 'yaml' | 'json' = 'yaml', profile: Profile = 'spec') => {
  const p = createPolicy({ profile, overrides: { text, format, source: 'policy.yaml' } });
  if (isRight(p)) throw new Error('loaded');
  return p.left;
};
const who = (roles: string[], extra: Partial<Credentials> = {}): Credentials =>
  ({ userId: 'u', projectId: 'p1', roles, systemScope: null, isAdmin: roles.includes('admin'), ...extra });

describe('operator overrides merge over the profile', () => {
  it('YAML: an overridden rule replaces the default; the others keep theirs', () => {
    const policy = load(`"os_compute_api:os-hypervisors:list": "role:ops"\n`);
    expect(policy.rule(LIST)).toMatchObject({ text: 'role:ops', source: 'override' });
    expect(policy.authorize(LIST, who(['ops']))).toMatchObject({ allowed: true, grant: { kind: 'system' } });
    expect(policy.authorize(LIST, who(['admin'])).allowed).toBe(false);
    expect(policy.rule(SHOW)).toMatchObject({ source: 'default' });
  });
  it('JSON works the same', () => {
    const policy = load(JSON.stringify({ [SHOW]: 'role:admin and project_id:%(project_id)s' }), 'json');
    expect(policy.authorize(SHOW, who(['admin']))).toMatchObject({ allowed: true, grant: { kind: 'project', projectId: 'p1' } });
  });
  it('overriding a base rule changes every rule that references it', () => {
    const policy = load(`system_reader_api: "role:auditor"\n"os_compute_api:os-hypervisors:show": "rule:system_reader_api"\n`);
    expect(policy.authorize(SHOW, who(['auditor']))).toMatchObject({ allowed: true, branch: { check: 'role:auditor' } });
  });
  it('the legacy list form, in YAML and JSON', () => {
    const yaml = load(`"os_compute_api:os-hypervisors:list":\n  - ["role:reader", "system_scope:all"]\n  - ["role:ops"]\n`);
    expect(yaml.rule(LIST)).toMatchObject({ text: 'role:reader and system_scope:all or role:ops' });
    expect(yaml.authorize(LIST, who(['ops'])).allowed).toBe(true);
    const json = load(JSON.stringify({ [LIST]: [['role:ops']] }), 'json');
    expect(json.authorize(LIST, who(['ops'])).allowed).toBe(true);
  });
  it('an empty file and an empty mapping change nothing', () => {
    expect(load('').rule(LIST)).toMatchObject({ source: 'default' });
    expect(load('{}', 'json').rule(LIST)).toMatchObject({ source: 'default' });
    expect(load('# only a comment\n').rule(LIST)).toMatchObject({ source: 'default' });
  });
  it('"" allows everyone, "!" denies everyone', () => {
    const policy = load(`"os_compute_api:os-hypervisors:list": ""\n"os_compute_api:os-hypervisors:show": "!"\n`);
    expect(policy.authorize(LIST, who([]))).toMatchObject({ allowed: true, branch: { check: '@' } });
    expect(policy.authorize(SHOW, who(['admin'], { systemScope: 'all' })).allowed).toBe(false);
    expect(policy.rule(SHOW)!.branches).toEqual([]);
  });
  it('custom implied roles', () => {
    const policy = load(`"os_compute_api:os-hypervisors:show": "role:observer"\n`, 'yaml', 'spec', { impliedRoles: { Auditor: ['observer'] } });
    expect(policy.authorize(SHOW, who(['auditor'])).allowed).toBe(true);
    expect(policy.authorize(SHOW, who(['admin'])).allowed).toBe(false);
  });
});

describe('deprecated rules (oslo.policy _handle_deprecated_rule)', () => {
  it('an override of the old name only applies to every new rule, in both profiles', () => {
    for (const profile of ['spec', 'nova'] as const) {
      const policy = load(`"os_compute_api:os-hypervisors": "role:ops"\n`, 'yaml', profile);
      for (const rule of HYPERVISOR_RULES) expect(policy.rule(hypervisorRuleName(rule))).toMatchObject({ text: 'role:ops', source: 'deprecated-name-override' });
      expect(policy.rule('os_compute_api:os-hypervisors')).toMatchObject({ source: 'override' });
      expect(policy.authorize(SHOW, who(['admin'], { systemScope: 'all' })).allowed).toBe(false);
    }
  });
  it('an override of the new name wins over the old name', () => {
    const policy = load(`"os_compute_api:os-hypervisors": "role:ops"\n"os_compute_api:os-hypervisors:show": "role:viewer"\n`);
    expect(policy.rule(SHOW)).toMatchObject({ text: 'role:viewer', source: 'override' });
    expect(policy.rule(LIST)).toMatchObject({ text: 'role:ops' });
  });
  it('an old-name override equal to the old default, or pointing at the new rule, is ignored', () => {
    expect(load(`"os_compute_api:os-hypervisors": "rule:admin_api"\n`).rule(SHOW)).toMatchObject({ source: 'default' });
    expect(load(`"os_compute_api:os-hypervisors": "rule:os_compute_api:os-hypervisors:show"\n`).rule(SHOW)).toMatchObject({ source: 'default' });
  });
  it('nova: overriding context_is_admin drops its is_admin alternative, the hypervisor rules keep theirs', () => {
    const policy = load(`context_is_admin: "role:cloud-admin"\n`, 'yaml', 'nova');
    expect(policy.rule('context_is_admin')).toMatchObject({ text: 'role:cloud-admin', source: 'override' });
    expect(policy.authorize(LIST, who(['admin'], { isAdmin: false })).allowed).toBe(false);
    expect(policy.authorize(LIST, who(['cloud-admin']))).toMatchObject({ allowed: true, branch: { check: 'role:cloud-admin' } });
    expect(policy.authorize(LIST, who([], { isAdmin: true }))).toMatchObject({ allowed: true, branch: { check: 'is_admin:True' } });
  });
  it('nova: an overridden hypervisor rule is not or-ed with the deprecated one', () => {
    const policy = load(`"os_compute_api:os-hypervisors:list": "rule:context_is_admin"\n`, 'yaml', 'nova');
    expect(policy.rule(LIST)!.branches.map((b) => b.check)).toEqual(['role:admin', 'is_admin:True']);
    expect(load(`"os_compute_api:os-hypervisors:list": "role:admin"\n`, 'yaml', 'nova').authorize(LIST, who([], { isAdmin: true })).allowed).toBe(false);
  });
});

describe('every problem is reported, with the rule named', () => {
  it('unknown rule names, all of them', () => {
    expect(problems(`"os_compute_api:os-hypervisors:lst": "@"\n"os_compute_api:servers:create": "@"\nmy_alias: "role:x"\n`)).toEqual([
      { code: 'unknown-rule', rule: 'os_compute_api:os-hypervisors:lst', message: 'rule "os_compute_api:os-hypervisors:lst": not a rule of this API (hypervisor, aggregate or base rule); see docs/policy.md for the list' },
      { code: 'unknown-rule', rule: 'os_compute_api:servers:create', message: expect.stringContaining('rule "os_compute_api:servers:create": not a rule of this API') },
      { code: 'unknown-rule', rule: 'my_alias', message: expect.stringContaining('rule "my_alias": not a rule of this API') },
    ]);
  });
  it('syntax errors name the rule and the column, together with unknown names', () => {
    expect(problems(`"os_compute_api:os-hypervisors:list": "role:admin or (role:x))"\n"os_compute_api:os-hypervisors:show": "admin"\nnope: "@"\n`)).toEqual([
      { code: 'syntax', rule: 'os_compute_api:os-hypervisors:list', column: 23, message: 'rule "os_compute_api:os-hypervisors:list": unexpected token ")" at column 23' },
      { code: 'syntax', rule: 'os_compute_api:os-hypervisors:show', column: 1, message: 'rule "os_compute_api:os-hypervisors:show": "admin" is not a check: expected kind:match, "@" or "!" at column 1' },
      { code: 'unknown-rule', rule: 'nope', message: expect.any(String) },
    ]);
  });
  it('a stray closing parenthesis is pointed at', () => {
    expect(problems(`"os_compute_api:os-hypervisors:list": "role:admin)"\n`)[0]!.message).toBe('rule "os_compute_api:os-hypervisors:list": unexpected token ")" at column 11');
    expect(problems(`"os_compute_api:os-hypervisors:list": "(role:admin))"\n`)[0]!.message).toBe('rule "os_compute_api:os-hypervisors:list": unexpected token ")" at column 13');
  });
  it('values that are not check strings', () => {
    expect(problems(`"os_compute_api:os-hypervisors:list":\n"os_compute_api:os-hypervisors:show": 3\n`).map((e) => e.message)).toEqual([
      'rule "os_compute_api:os-hypervisors:list": no check string (oslo would allow everyone); write "" to allow everyone or "!" to deny everyone',
      'rule "os_compute_api:os-hypervisors:show": the value must be a check string, not number 3',
    ]);
  });
  it('http checks are refused at load time', () => {
    expect(problems(`context_is_admin: "http://opa.example/check"\n`)).toEqual([
      { code: 'syntax', rule: 'context_is_admin', column: 1, message: 'rule "context_is_admin": remote "http:" checks are not supported at column 1' },
    ]);
  });
  it('cycles through rule: references', () => {
    expect(problems(`context_is_admin: "rule:admin_api"\nadmin_api: "role:x or rule:context_is_admin"\n`)).toContainEqual(
      { code: 'cycle', rule: 'context_is_admin', message: 'rule "context_is_admin": cyclic reference context_is_admin -> admin_api -> context_is_admin' },
    );
    expect(problems(`service_api: "rule:service_api"\n`)).toContainEqual({ code: 'cycle', rule: 'service_api', message: 'rule "service_api": cyclic reference service_api -> service_api' });
  });
  it('rules that expand to too many alternatives', () => {
    const huge = Array.from({ length: 9 }, (_, i) => `(role:a${i} or role:b${i})`).join(' and ');
    expect(problems(JSON.stringify({ [LIST]: huge }), 'json')).toEqual([
      { code: 'too-complex', rule: LIST, message: `rule "${LIST}": expands to more than 256 alternatives (512); simplify it` },
    ]);
  });
  it('file errors: YAML syntax, duplicate keys, not a mapping, invalid JSON', () => {
    expect(problems('a: [b\n')[0]).toMatchObject({ code: 'file', message: expect.stringMatching(/^policy\.yaml: .*line/) });
    expect(problems(`context_is_admin: "@"\ncontext_is_admin: "!"\n`)).toEqual([{ code: 'file', message: 'policy.yaml: Map keys must be unique at line 2, column 1' }]);
    expect(problems(JSON.stringify({ context_is_admin: '@' }).replace('}', ', "context_is_admin": "!"}'), 'json')[0]).toMatchObject({ code: 'file', message: expect.stringContaining('Map keys must be unique') });
    expect(problems('- "role:a"\n')).toEqual([{ code: 'file', message: 'policy.yaml: expected a mapping of rule names to check strings, found a list' }]);
    expect(problems('just text\n')).toEqual([{ code: 'file', message: 'policy.yaml: expected a mapping of rule names to check strings, found string' }]);
    expect(problems('{"a": }', 'json')[0]).toMatchObject({ code: 'file', message: expect.stringMatching(/^policy\.yaml: invalid JSON: /) });
  });
});

describe('warnings: legal, probably not meant', () => {
  it('references to no rule, quoted values, is_admin spellings, keys the target never has', () => {
    const policy = load([
      `"os_compute_api:os-hypervisors:list": "rule:context_is_amdin or role:'admin'"`,
      `"os_compute_api:os-hypervisors:show": "is_admin:yes or user_id:%(user_id)s or user.domain.id:default"`,
      '',
    ].join('\n'));
    expect(policy.warnings.map((w) => w.message)).toEqual([
      `rule "${LIST}": rule:context_is_amdin refers to no rule, so it is always false`,
      `rule "${LIST}": role:'admin': quotes on the right are part of the value, so it never matches an unquoted one`,
      `rule "${SHOW}": is_admin:yes means is_admin:False (only "true", in any case, means true)`,
      `rule "${SHOW}": user_id:%(user_id)s is always false here: the target has no "user_id"`,
      `rule "${SHOW}": user.domain.id:default is always false here: the credentials hold no nested values`,
    ]);
    expect(policy.authorize(LIST, who(['admin'], { systemScope: 'all' })).allowed).toBe(false);
  });
});
