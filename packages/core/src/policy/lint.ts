import { atomText, type Check } from './oslo/ast.js';
import { classifyAtom } from './compile/atoms.js';
import type { PolicyWarning } from './errors.js';
import type { Profile } from '../config.js';
import type { Branch } from './compile/branches.js';
import type { EffectiveRule } from './rule-set.js';

const quoted = (match: string): boolean => /^(['"]).*\1$/su.test(match);

const atomWarnings = (check: Check, names: ReadonlySet<string>): string[] => {
  switch (check.type) {
    case 'always':
    case 'never':
      return [];
    case 'not':
      return atomWarnings(check.check, names);
    case 'and':
    case 'or':
      return check.checks.flatMap((c) => atomWarnings(c, names));
    case 'rule':
      return names.has(check.name) ? [] : [`${atomText(check)} refers to no rule, so it is always false`];
    case 'is_admin':
      return /^(true|false)$/iu.test(check.match) ? [] : [`${atomText(check)} means is_admin:False (only "true", in any case, means true)`];
    default: {
      const out: string[] = [];
      if (quoted(check.match)) out.push(`${atomText(check)}: quotes on the right are part of the value, so it never matches an unquoted one`);
      const atom = classifyAtom(check);
      if (atom.kind === 'constant') out.push(`${atomText(check)} is always ${atom.value ? 'true' : 'false'} here: ${atom.why}`);
      return out;
    }
  }
};

/** What oslo would accept but only log about: references to no rule, quoted values, constant checks. */
export const lintRules = (rules: ReadonlyArray<EffectiveRule>): PolicyWarning[] => {
  const names = new Set(rules.map((r) => r.name));
  return rules.flatMap((rule) => [...new Set(atomWarnings(rule.check, names))].map((message) => ({ rule: rule.name, message: `rule "${rule.name}": ${message}` })));
};

/**
 * Project branches of the API's own rules that probably do not do what they say. Under `spec` a branch
 * whose only positive tests read the target's project admits every caller of its own project, whatever
 * its roles; under `nova` the hypervisor API's target is empty (as in Nova), so a project branch never
 * passes.
 */
export const lintBranches = (profile: Profile, rule: string, branches: ReadonlyArray<Branch>): PolicyWarning[] =>
  branches.flatMap((branch, index): PolicyWarning[] => {
    if (branch.grant !== 'project') return [];
    const where = `rule "${rule}": branch [${index + 1}] ${branch.check}`;
    if (profile === 'nova') return [{ rule, message: `${where} never passes under the nova profile: the target is empty, as in Nova` }];
    const onlyTarget = branch.literals.every((l) => l.negated || l.projectScoped);
    return onlyTarget ? [{ rule, message: `${where} admits any caller of its own project, whatever its roles` }] : [];
  });
