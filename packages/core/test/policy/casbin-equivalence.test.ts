import fc from 'fast-check';
import { isLeft } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Credentials } from '../../src/credentials.js';
import { createPolicy } from '../../src/policy/policy.js';

/*
 * Casbin's decisions against a small reference evaluation of oslo.policy's semantics (policy.md §4),
 * written here and only here: random rules (as text, through the parser, the DNF compiler and casbin)
 * × random callers. The grant must match too: `system` when the caller passes without relying on a
 * positive test of the target's project, else `project`.
 */

type Tree = { readonly t: 'atom'; readonly text: string } | { readonly t: 'not'; readonly c: Tree } | { readonly t: 'and' | 'or'; readonly cs: ReadonlyArray<Tree> };

const ATOMS = [
  '@', '!', 'rule:nope',
  'role:admin', 'role:member', 'role:reader', 'role:Admin', 'role:observer', "role:'admin'", 'role:%(project_id)s',
  'role:x%(project_id)s', 'role:%(user_id)s', 'role:100%%', 'ROLE:admin',
  'is_admin:True', 'is_admin:False', 'is_admin:true', 'is_admin:yes',
  'system_scope:all', 'system_scope:None', 'project_id:%(project_id)s', 'project_id:p1', 'project_id:None',
  'project_id:%%(project_id)s', 'project_id:%(project_id)s%(project_id)s', 'user_id:%(user_id)s', 'user_id:u1',
  "'p1':%(project_id)s", '"p2":%(project_id)s', 'True:%(project_id)s', 'None:None', '5:5', '5:6',
  'roles:admin', 'roles:Admin', 'roles:reader', 'domain_id:None', 'domain_id:d1', 'user.domain.id:x',
  'is_admin_project:True', 'service_roles:admin', 'is_admin:%(project_id)s',
];

/** Rules the random ones live in: the root (an API rule) and four base rules it may reference. */
const ROOT = 'os_compute_api:os-hypervisors:list';
const SLOTS = ['system_admin_api', 'system_reader_api', 'project_admin_api', 'project_member_api'];

const treeArb = (refs: ReadonlyArray<string>): fc.Arbitrary<Tree> => {
  const atom = fc.constantFrom(...ATOMS, ...refs.map((r) => `rule:${r}`)).map((text): Tree => ({ t: 'atom', text }));
  return fc.letrec<{ node: Tree }>((tie) => ({
    node: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      atom,
      tie('node').map((c): Tree => ({ t: 'not', c })),
      fc.tuple(fc.constantFrom('and', 'or') as fc.Arbitrary<'and' | 'or'>, fc.array(tie('node'), { minLength: 2, maxLength: 3 })).map(([t, cs]): Tree => ({ t, cs })),
    ),
  })).node;
};

/** Oslo text with only the parentheses precedence needs; keywords in the given case. */
const format = (tree: Tree, kw: (k: string) => string): string => {
  switch (tree.t) {
    case 'atom': return tree.text;
    case 'not': return `${kw('not')} ${tree.c.t === 'atom' || tree.c.t === 'not' ? format(tree.c, kw) : `(${format(tree.c, kw)})`}`;
    case 'and': return tree.cs.map((c) => (c.t === 'or' ? `(${format(c, kw)})` : format(c, kw))).join(` ${kw('and')} `);
    case 'or': return tree.cs.map((c) => format(c, kw)).join(` ${kw('or')} `);
  }
};

// ---- the reference: oslo_policy/_checks.py semantics, evaluated directly -----------------------------

type PyValue = string | boolean | null | PyValue[];
const pyStr = (v: PyValue): string => (v === null ? 'None' : v === true ? 'True' : v === false ? 'False' : String(v));

const refCreds = (c: Credentials): Record<string, PyValue> => {
  // Keystone lists implied roles in the token: admin -> member -> reader.
  const roles: string[] = [];
  const add = (r: string) => {
    if (roles.some((x) => x.toLowerCase() === r.toLowerCase())) return;
    roles.push(r);
    if (r.toLowerCase() === 'admin') add('member');
    if (r.toLowerCase() === 'member') add('reader');
  };
  c.roles.forEach(add);
  return {
    user_id: c.userId, user_domain_id: null, system_scope: c.systemScope, domain_id: c.domainId ?? null, project_id: c.projectId,
    project_domain_id: null, roles, is_admin_project: true, service_user_id: null, service_user_domain_id: null,
    service_project_id: null, service_project_domain_id: null, service_roles: [], is_admin: c.isAdmin ?? null,
  };
};

/** `match % target`, or null for Python's KeyError. */
const substitute = (match: string, target: Record<string, string>): string | null => {
  let missing = false;
  const out = match.replace(/%\(([^)]*)\)s|%%/g, (m, key: string | undefined) => {
    if (m === '%%') return '%';
    if (!(key! in target)) missing = true;
    return target[key!] ?? '';
  });
  return missing ? null : out;
};

const literal = (kind: string): string | undefined => {
  if (['True', 'False', 'None'].includes(kind)) return kind;
  if (/^-?\d+$/.test(kind)) return String(Number(kind));
  if (/^'[^']*'$|^"[^"]*"$/.test(kind)) return kind.slice(1, -1);
  return undefined;
};

const findInDict = (value: PyValue | Record<string, PyValue> | undefined, path: string[], match: string): boolean => {
  if (value === undefined) return false;
  if (path.length === 0) return value === null || typeof value !== 'object' ? pyStr(value) === match : false;
  if (Array.isArray(value)) return value.some((v) => findInDict(v, path, match));
  if (value === null || typeof value !== 'object') return false;
  const [key, ...rest] = path;
  const next = Object.hasOwn(value, key!) ? (value as Record<string, PyValue>)[key!] : undefined;
  if (Array.isArray(next)) return next.some((v) => findInDict(v, rest, match));
  return findInDict(next, rest, match);
};

interface RefContext {
  readonly rules: ReadonlyMap<string, Tree>;
  readonly creds: Record<string, PyValue>;
  readonly target: Record<string, string>;
  /** Evaluate positive tests of the target's project as false (to find system-wide grants). */
  readonly withoutProject: boolean;
}

const evalAtom = (text: string, positive: boolean, ctx: RefContext): boolean => {
  if (text === '@') return true;
  if (text === '!') return false;
  const i = text.indexOf(':');
  const kind = text.slice(0, i);
  const match = text.slice(i + 1);
  if (kind === 'rule') {
    const rule = ctx.rules.get(match);
    return rule === undefined ? false : evalTree(rule, positive, ctx);
  }
  if (ctx.withoutProject && positive && match.includes('%(project_id)s') && kind !== 'is_admin') return false;
  if (kind === 'is_admin') return ctx.creds.is_admin === (match.toLowerCase() === 'true');
  const sub = substitute(match, ctx.target);
  if (sub === null) return false;
  if (kind === 'role') return (ctx.creds.roles as string[]).some((r) => r.toLowerCase() === sub.toLowerCase());
  const lit = literal(kind);
  if (lit !== undefined) return lit === sub;
  return findInDict(ctx.creds, kind.split('.'), sub);
};

const evalTree = (tree: Tree, positive: boolean, ctx: RefContext): boolean => {
  switch (tree.t) {
    case 'atom': return evalAtom(tree.text, positive, ctx);
    case 'not': return !evalTree(tree.c, !positive, ctx);
    case 'and': return tree.cs.every((c) => evalTree(c, positive, ctx));
    case 'or': return tree.cs.some((c) => evalTree(c, positive, ctx));
  }
};

const reference = (name: string, rules: ReadonlyMap<string, Tree>, c: Credentials): 'deny' | 'system' | 'project' => {
  const target: Record<string, string> = c.projectId === null ? {} : { project_id: c.projectId };
  const base = { rules, creds: refCreds(c), target };
  const tree = rules.get(name)!;
  if (evalTree(tree, true, { ...base, withoutProject: true })) return 'system';
  return evalTree(tree, true, { ...base, withoutProject: false }) ? 'project' : 'deny';
};

// ---- the property ------------------------------------------------------------------------------------

const credsArb: fc.Arbitrary<Credentials> = fc.record({
  userId: fc.constantFrom('u1', 'u2', null),
  projectId: fc.constantFrom(null, 'p1', 'p2', 'P1'),
  roles: fc.subarray(['admin', 'member', 'reader', 'Admin', 'observer', '100%', 'p1', 'xP1']),
  systemScope: fc.constantFrom(null, 'all'),
  isAdmin: fc.boolean(),
  domainId: fc.constantFrom(null, 'd1'),
});

const ruleSetArb = fc.tuple(
  treeArb(SLOTS),
  ...SLOTS.map((_, i) => treeArb(SLOTS.slice(i + 1))),
).map(([root, ...slots]) => new Map<string, Tree>([[ROOT, root], ...SLOTS.map((name, i): [string, Tree] => [name, slots[i]!])]));

describe('casbin decisions equal oslo semantics', () => {
  it('random rules × random callers: same decision, same grant', () => {
    fc.assert(
      fc.property(ruleSetArb, fc.constantFrom((k: string) => k, (k: string) => k.toUpperCase(), (k: string) => k[0]!.toUpperCase() + k.slice(1)), fc.array(credsArb, { minLength: 8, maxLength: 8 }), (rules, kw, callers) => {
        const text = JSON.stringify(Object.fromEntries([...rules].map(([name, tree]) => [name, format(tree, kw)])));
        const policy = createPolicy({ profile: 'spec', overrides: { text, format: 'json' } });
        if (isLeft(policy)) {
          // Only size may refuse a well-formed rule set.
          fc.pre(policy.left.every((e) => e.code === 'too-complex'));
          return;
        }
        for (const c of callers) {
          for (const name of rules.keys()) {
            const d = policy.right.decide(name, c);
            const got = d.allowed ? d.grant.kind : 'deny';
            expect(got, `${name} = ${format(rules.get(name)!, kw)}\ncaller ${JSON.stringify(c)}\n${text}`).toBe(reference(name, rules, c));
            if (d.allowed && d.grant.kind === 'project') expect(d.grant.projectId).toBe(c.projectId);
          }
        }
      }),
      { numRuns: Number(process.env.POLICY_FC_RUNS ?? 300) },
    );
  });
});
