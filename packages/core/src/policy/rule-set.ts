import { isLeft } from 'fp-ts/lib/Either.js';
import { type Check, formatCheck } from './oslo/ast.js';
import { parseCheckString, parseRuleValue } from './oslo/parse.js';
import { type PolicyLoadError, ruleError } from './errors.js';
import type { PolicyFileEntry } from './policy-file.js';
import type { PolicyProfile } from './profiles.js';

/**
 * Where a rule's effective check comes from:
 * - `default`: the profile's default;
 * - `default-or-deprecated`: `(default) or (deprecated default)`, oslo's upgrade aid while
 *   `enforce_new_defaults` is false (Nova Zed);
 * - `override`: the operator's policy file;
 * - `deprecated-name-override`: the operator overrode the rule's old name only; oslo applies that override
 *   to the new rule (so an upgrade does not widen access).
 */
export type RuleSource = 'default' | 'default-or-deprecated' | 'override' | 'deprecated-name-override';

export interface EffectiveRule {
  readonly name: string;
  readonly check: Check;
  /** The check string in effect, as written (a list-form value is shown in text syntax). */
  readonly text: string;
  readonly source: RuleSource;
  readonly description: string;
  readonly scopeTypes: ReadonlyArray<string>;
}

const valueText = (value: unknown, check: Check): string => (typeof value === 'string' ? value : formatCheck(check));

/**
 * The profile's defaults merged with the operator's entries, as oslo.policy's `Enforcer.load_rules`
 * merges registered defaults and file rules (oslo_policy/policy.py `_handle_deprecated_rule`). Every
 * unknown name and every unparsable value is reported; the rules are returned even then (an unusable
 * entry left out) so that later stages can report their own problems in the same run.
 */
export const resolveRuleSet = (profile: PolicyProfile, entries: ReadonlyArray<PolicyFileEntry>): { rules: EffectiveRule[]; errors: PolicyLoadError[] } => {
  const errors: PolicyLoadError[] = [];
  const parseDefault = (name: string, text: string): Check => {
    const parsed = parseCheckString(text);
    if (isLeft(parsed)) {
      errors.push(ruleError('syntax', name, `profile ${profile.name} default: ${parsed.left.message}`, parsed.left.column));
      return { type: 'never' };
    }
    return parsed.right;
  };

  const known = new Set(profile.rules.flatMap((r) => (r.deprecated === undefined ? [r.name] : [r.name, r.deprecated.name])));
  const file = new Map<string, { check: Check; text: string }>();
  for (const { name, value } of entries) {
    if (!known.has(name)) {
      errors.push(ruleError('unknown-rule', name, `not a rule of this API (hypervisor, aggregate or base rule); see docs/policy.md for the list`));
      continue;
    }
    const parsed = parseRuleValue(value);
    if (isLeft(parsed)) errors.push(ruleError('syntax', name, parsed.left.message, parsed.left.column));
    else file.set(name, { check: parsed.right, text: valueText(value, parsed.right) });
  }

  const rules: EffectiveRule[] = profile.rules.map((rule) => {
    const base = { name: rule.name, description: rule.description, scopeTypes: rule.scopeTypes ?? [] };
    const own = file.get(rule.name);
    if (own !== undefined) return { ...base, ...own, source: 'override' };
    const check = parseDefault(rule.name, rule.check);
    const deprecated = rule.deprecated;
    if (deprecated === undefined) return { ...base, check, text: rule.check, source: 'default' };
    const oldCheck = parseDefault(rule.name, deprecated.check);
    const oldOverride = deprecated.name === rule.name ? undefined : file.get(deprecated.name);
    if (oldOverride !== undefined) {
      const written = formatCheck(oldOverride.check);
      if (written !== formatCheck(oldCheck) && written !== `rule:${rule.name}`) return { ...base, ...oldOverride, source: 'deprecated-name-override' };
    }
    if (!profile.enforceNewDefaults && formatCheck(check) !== formatCheck(oldCheck)) {
      return { ...base, check: { type: 'or', checks: [check, oldCheck] }, text: `(${rule.check}) or (${deprecated.check})`, source: 'default-or-deprecated' };
    }
    return { ...base, check, text: rule.check, source: 'default' };
  });

  const defaults = new Set(profile.rules.map((r) => r.name));
  for (const [name, own] of file) {
    if (!defaults.has(name)) rules.push({ name, ...own, source: 'override', description: 'Deprecated rule name, set by the policy file.', scopeTypes: [] });
  }
  return { rules, errors };
};
