import { type AtomCheck, atomText, type Check } from '../oslo/ast.js';
import { classifyAtom } from './atoms.js';

export type GrantKind = 'system' | 'project';

/** One atom of a branch, possibly negated. */
export interface Literal {
  readonly atom: AtomCheck;
  readonly negated: boolean;
  /** Equal keys are the same test (used to merge duplicates and drop contradictions). */
  readonly key: string;
  readonly projectScoped: boolean;
}

/**
 * One alternative of a rule in disjunctive normal form: the caller passes the rule when it passes every
 * literal of at least one branch. A branch grants `project` when one of its positive literals reads the
 * target's project (so the caller is let in only as a member of its own project), else `system`.
 */
export interface Branch {
  readonly literals: ReadonlyArray<Literal>;
  readonly grant: GrantKind;
  /** The branch as an oslo check string (`@` for an empty one). */
  readonly check: string;
}

export type FlattenFailure = { readonly code: 'cycle'; readonly path: ReadonlyArray<string> } | { readonly code: 'too-complex'; readonly count: number };

/** Above this many alternatives a rule is refused rather than compiled into an unreadable policy. */
export const MAX_BRANCHES = 256;

type Conjunction = ReadonlyArray<Literal>;

class Failure extends Error {
  constructor(readonly failure: FlattenFailure) {
    super(failure.code);
  }
}

const literalId = (l: Literal): string => `${l.negated ? '!' : ''}${l.key}`;

/** a ∧ b, or null when they contradict (x and not x). */
const conjoin = (a: Conjunction, b: Conjunction): Conjunction | null => {
  const ids = new Set(a.map(literalId));
  const out = [...a];
  for (const l of b) {
    if (ids.has(`${l.negated ? '' : '!'}${l.key}`)) return null;
    if (ids.has(literalId(l))) continue;
    ids.add(literalId(l));
    out.push(l);
  }
  return out;
};

const limit = (conjunctions: Conjunction[]): Conjunction[] => {
  if (conjunctions.length > MAX_BRANCHES) throw new Failure({ code: 'too-complex', count: conjunctions.length });
  return conjunctions;
};

const product = (factors: ReadonlyArray<Conjunction[]>): Conjunction[] =>
  factors.reduce<Conjunction[]>((acc, factor) => {
    const next: Conjunction[] = [];
    for (const a of acc) {
      for (const b of factor) {
        const c = conjoin(a, b);
        if (c !== null) next.push(c);
      }
    }
    return limit(next);
  }, [[]]);

/** Drops every branch that contains another one: it can never be the only one a caller passes. */
const absorb = (conjunctions: Conjunction[]): Conjunction[] => {
  const sets = conjunctions.map((c) => new Set(c.map(literalId)));
  return conjunctions.filter((_, i) =>
    !sets.some((other, j) => j !== i && other.size <= sets[i]!.size && [...other].every((id) => sets[i]!.has(id)) && (other.size < sets[i]!.size || j < i)));
};

const toBranch = (literals: Conjunction): Branch => ({
  literals,
  grant: literals.some((l) => !l.negated && l.projectScoped) ? 'project' : 'system',
  check: literals.length === 0 ? '@' : literals.map((l) => `${l.negated ? 'not ' : ''}${atomText(l.atom)}`).join(' and '),
});

/**
 * Resolves `rule:` references (an unknown name is false, as oslo fails closed; a cycle is an error),
 * pushes `not` down to the atoms and expands to branches. Branches granting `system` come first, so the
 * first branch a caller passes is the widest grant it has.
 */
export const flattenRule = (name: string, rules: ReadonlyMap<string, Check>): { branches: Branch[] } | { failure: FlattenFailure } => {
  const memo = new Map<string, Conjunction[]>();
  const stack: string[] = [name];

  const dnf = (check: Check, negated: boolean): Conjunction[] => {
    switch (check.type) {
      case 'always': return negated ? [] : [[]];
      case 'never': return negated ? [[]] : [];
      case 'not': return dnf(check.check, !negated);
      case 'and':
      case 'or': {
        const parts = check.checks.map((c) => dnf(c, negated));
        // De Morgan: a negated conjunction is a disjunction of negations and vice versa.
        return (check.type === 'and') !== negated ? product(parts) : limit(parts.flat());
      }
      case 'rule': {
        const target = rules.get(check.name);
        if (target === undefined) return negated ? [[]] : [];
        if (stack.includes(check.name)) throw new Failure({ code: 'cycle', path: [...stack.slice(stack.indexOf(check.name)), check.name] });
        const key = `${negated ? '!' : ''}${check.name}`;
        const known = memo.get(key);
        if (known !== undefined) return known;
        stack.push(check.name);
        const result = dnf(target, negated);
        stack.pop();
        memo.set(key, result);
        return result;
      }
      default: {
        const atom = classifyAtom(check);
        if (atom.kind === 'constant') return atom.value !== negated ? [[]] : [];
        return [[{ atom: check, negated, key: atom.key, projectScoped: atom.projectScoped }]];
      }
    }
  };

  const root = rules.get(name);
  if (root === undefined) return { branches: [] };
  try {
    const branches = absorb(dnf(root, false)).map(toBranch);
    return { branches: [...branches.filter((b) => b.grant === 'system'), ...branches.filter((b) => b.grant === 'project')] };
  } catch (e) {
    if (e instanceof Failure) return { failure: e.failure };
    throw e;
  }
};
