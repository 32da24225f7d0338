import { type Either, isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Profile } from '../config.js';
import type { Credentials } from '../credentials.js';
import { RuleEnforcer } from './casbin/enforcer.js';
import { type PolicyLine, rulePolicyLines } from './casbin/lines.js';
import { flattenRule, type GrantKind, MAX_BRANCHES } from './compile/branches.js';
import type { Authorizer, PolicyRuleName } from './decision.js';
import { type PolicyLoadError, type PolicyWarning, ruleError } from './errors.js';
import { lintBranches, lintRules } from './lint.js';
import { type PolicyFileText, readPolicyFile } from './policy-file.js';
import { API_RULE_NAMES, PROFILES } from './profiles.js';
import { policyRequest } from './request.js';
import { type ImpliedRoles, KEYSTONE_IMPLIED_ROLES } from './roles.js';
import { type EffectiveRule, resolveRuleSet } from './rule-set.js';

export interface PolicyOptions {
  /** Default `spec`. */
  readonly profile?: Profile;
  /** The operator's policy file, merged over the profile's defaults. */
  readonly overrides?: PolicyFileText;
  /** Role -> roles it implies (lower-case names); Keystone's admin -> member -> reader by default. */
  readonly impliedRoles?: ImpliedRoles;
}

/** The branch a caller passed: its index in the rule, its check string and what it grants. */
export interface GrantingBranch {
  readonly index: number;
  readonly check: string;
  readonly grant: GrantKind;
}

/** A `Decision` (decision.ts) that also says which branch granted it, for logs and audits. */
export type PolicyDecision =
  | { readonly allowed: true; readonly grant: { readonly kind: 'system' } | { readonly kind: 'project'; readonly projectId: string }; readonly branch: GrantingBranch }
  | { readonly allowed: false };

export interface CompiledRule extends EffectiveRule {
  /** In the order casbin tries them: system grants first. Empty: nobody passes. */
  readonly branches: ReadonlyArray<GrantingBranch>;
  /** What casbin enforces for this rule: the model text and the policy lines. */
  readonly casbin: { readonly model: string; readonly lines: ReadonlyArray<PolicyLine> };
}

/** The `Authorizer` the handler consults, plus what an audit needs to see. */
export interface Policy extends Authorizer {
  readonly profile: Profile;
  readonly warnings: ReadonlyArray<PolicyWarning>;
  authorize(rule: PolicyRuleName, credentials: Credentials): PolicyDecision;
  /** Any rule of the set, base rules included; a name not in the set is denied. */
  decide(rule: string, credentials: Credentials): PolicyDecision;
  /** Every rule in effect: the profile's rules in their order, then deprecated names the file set. */
  rules(): ReadonlyArray<CompiledRule>;
  rule(name: string): CompiledRule | undefined;
}

const DENIED: PolicyDecision = { allowed: false };
const CONTEXT_IS_ADMIN = 'context_is_admin';

/** A compiled rule, its enforcer, and whether any branch tests `is_admin` (only then is it worked out). */
interface RuleEntry {
  readonly rule: CompiledRule;
  readonly enforcer: RuleEnforcer;
  readonly readsIsAdmin: boolean;
}

class CasbinPolicy implements Policy {
  private readonly byName: ReadonlyMap<string, RuleEntry>;
  /**
   * `context_is_admin` per credentials object: a resolver that hands out the same object for the same
   * caller (the Keystone token cache) pays that decision once per token, not once per request.
   */
  private readonly contextIsAdminOf = new WeakMap<Credentials, boolean>();

  constructor(
    readonly profile: Profile,
    compiled: ReadonlyArray<RuleEntry>,
    readonly warnings: ReadonlyArray<PolicyWarning>,
    private readonly impliedRoles: ImpliedRoles,
  ) {
    this.byName = new Map(compiled.map((c) => [c.rule.name, c]));
  }

  authorize(rule: PolicyRuleName, credentials: Credentials): PolicyDecision {
    return this.decide(rule, credentials);
  }

  decide(rule: string, credentials: Credentials): PolicyDecision {
    const entry = this.byName.get(rule);
    if (entry === undefined) return DENIED;
    // A rule that never tests is_admin decides the same whatever it is: no context_is_admin decision then.
    const isAdmin = credentials.isAdmin ?? (entry.readsIsAdmin ? this.contextIsAdmin(credentials) : null);
    const index = entry.enforcer.enforce(policyRequest(credentials, this.impliedRoles, this.profile === 'nova' ? 'empty' : 'caller-project', isAdmin));
    if (index === null) return DENIED;
    const branch = entry.rule.branches[index]!;
    if (branch.grant === 'system') return { allowed: true, grant: { kind: 'system' }, branch };
    // A project branch reads the target's project_id, which exists only when the caller has a project.
    if (credentials.projectId === null) throw new Error(`project branch of ${rule} passed without a project`);
    return { allowed: true, grant: { kind: 'project', projectId: credentials.projectId }, branch };
  }

  /**
   * Nova's RequestContext without an explicit `is_admin` (Keystone's headers): `check_is_admin` decides
   * `context_is_admin` for the caller's own project, with `is_admin` still `None`. One more enforcer
   * decision, per request (when the rule tests is_admin), never per row.
   */
  private contextIsAdmin(credentials: Credentials): boolean {
    const known = this.contextIsAdminOf.get(credentials);
    if (known !== undefined) return known;
    const entry = this.byName.get(CONTEXT_IS_ADMIN);
    const isAdmin = entry !== undefined && entry.enforcer.enforce(policyRequest(credentials, this.impliedRoles, 'caller-project', null)) !== null;
    this.contextIsAdminOf.set(credentials, isAdmin);
    return isAdmin;
  }

  rules(): ReadonlyArray<CompiledRule> {
    return [...this.byName.values()].map((c) => c.rule);
  }

  rule(name: string): CompiledRule | undefined {
    return this.byName.get(name)?.rule;
  }
}

const normaliseImplied = (implied: ImpliedRoles): ImpliedRoles =>
  Object.fromEntries(Object.entries(implied).map(([role, roles]) => [role.toLowerCase(), roles]));

/**
 * Builds the policy: the profile's defaults, the operator's file merged over them, each rule flattened
 * to branches and compiled to casbin lines with one enforcer per rule. Every problem found is returned.
 */
export const createPolicy = (options: PolicyOptions = {}): Either<PolicyLoadError[], Policy> => {
  const profile = PROFILES[options.profile ?? 'spec'];
  const entries = options.overrides === undefined ? right([]) : readPolicyFile(options.overrides);
  if (isLeft(entries)) return entries;
  const { rules, errors } = resolveRuleSet(profile, entries.right);

  const checks = new Map(rules.map((r) => [r.name, r.check]));
  const compiled: RuleEntry[] = [];
  const branchWarnings: PolicyWarning[] = [];
  for (const rule of rules) {
    const flat = flattenRule(rule.name, checks);
    if ('failure' in flat) {
      const { failure } = flat;
      errors.push(failure.code === 'cycle'
        ? ruleError('cycle', rule.name, `cyclic reference ${failure.path.join(' -> ')}`)
        : ruleError('too-complex', rule.name, `expands to more than ${MAX_BRANCHES} alternatives (${failure.count}); simplify it`));
      continue;
    }
    if (API_RULE_NAMES.includes(rule.name)) branchWarnings.push(...lintBranches(profile.name, rule.name, flat.branches));
    const { lines, valueColumns } = rulePolicyLines(flat.branches);
    const enforcer = RuleEnforcer.forLines(lines, valueColumns);
    const branches = flat.branches.map((b, index) => ({ index, check: b.check, grant: b.grant }));
    const readsIsAdmin = flat.branches.some((b) => b.literals.some((l) => l.atom.type === 'is_admin'));
    compiled.push({ rule: { ...rule, branches, casbin: { model: enforcer.modelText, lines } }, enforcer, readsIsAdmin });
  }
  if (errors.length > 0) return left(errors);
  const implied = normaliseImplied(options.impliedRoles ?? KEYSTONE_IMPLIED_ROLES);
  return right(new CasbinPolicy(profile.name, compiled, [...lintRules(rules), ...branchWarnings], implied));
};
