import { constantText, type Template, templateKeys } from '../oslo/ast.js';
import { isListCredential, isScalarCredential } from '../compile/atoms.js';
import type { Branch, Literal } from '../compile/branches.js';
import { TARGET_KEYS } from '../request.js';

/**
 * Where policy lines come from (node-casbin's `persist/` role): compiled branches become lines for the
 * model in model.ts. The condition is casbin expression text built only from fixed identifiers; every
 * string the operator wrote travels as a value column (`p_vN`).
 */
export type PolicyLine = ReadonlyArray<string>;

class ValueColumns {
  readonly values: string[] = [];

  ref(value: string): string {
    this.values.push(value);
    return `p_v${this.values.length - 1}`;
  }
}

const targetKeys = new Set<string>(TARGET_KEYS);

const targetRef = (key: string): string => {
  // Keys outside the target were folded to constants by the compiler; anything else is a compiler bug.
  if (!targetKeys.has(key) || !/^[a-z_]+$/u.test(key)) throw new Error(`target key ${key} reached the casbin compiler`);
  return `r_target.${key}`;
};

/** `match % target` as an expression, with the guard that every key is present (else oslo's KeyError: false). */
const substitute = (template: Template, values: ValueColumns): { guard: string | null; text: string } => {
  const keys = [...new Set(templateKeys(template))];
  const text = template.map((p) => ('key' in p ? targetRef(p.key) : values.ref(p.text))).join(' + ');
  const guard = keys.length === 0 ? null : keys.map((k) => `(${targetRef(k)} != null)`).join(' && ');
  return { guard, text: template.length > 1 ? `(${text})` : text };
};

const credentialRef = (name: string): string => {
  if (!(isScalarCredential(name) || isListCredential(name)) || !/^[a-z_]+$/u.test(name)) throw new Error(`credential ${name} reached the casbin compiler`);
  return `r_creds.${name}`;
};

const guarded = (guard: string | null, test: string): string => (guard === null ? `(${test})` : `(${guard} && (${test}))`);

const literalCondition = (literal: Literal, values: ValueColumns): string => {
  const { atom } = literal;
  let test: string;
  if (atom.type === 'is_admin') {
    test = `(r_creds.is_admin == "${atom.expected ? 'True' : 'False'}")`;
  } else if (atom.type === 'role') {
    if (templateKeys(atom.template).length === 0) {
      test = `(${values.ref(constantText(atom.template).toLowerCase())} in r_roles)`;
    } else {
      const { guard, text } = substitute(atom.template, values);
      test = guarded(guard, `(${text}).toLowerCase() in r_roles`);
    }
  } else {
    const { guard, text } = substitute(atom.template, values);
    if ('literal' in atom.left) test = guarded(guard, `${text} == ${values.ref(atom.left.literal)}`);
    else {
      const name = atom.left.path[0]!;
      test = guarded(guard, isListCredential(name) ? `${text} in ${credentialRef(name)}` : `${credentialRef(name)} == ${text}`);
    }
  }
  return literal.negated ? `!${test}` : test;
};

/** The casbin expression for a branch and the values it refers to. */
export const branchCondition = (branch: Branch): { cond: string; values: string[] } => {
  const values = new ValueColumns();
  const cond = branch.literals.length === 0 ? 'true' : branch.literals.map((l) => literalCondition(l, values)).join(' && ');
  return { cond, values: values.values };
};

/** The rule's lines, padded to the same number of value columns; returns that number too. */
export const rulePolicyLines = (branches: ReadonlyArray<Branch>): { lines: PolicyLine[]; valueColumns: number } => {
  const built = branches.map((branch, i) => ({ branch, i, ...branchCondition(branch) }));
  const valueColumns = Math.max(0, ...built.map((b) => b.values.length));
  const lines = built.map(({ branch, i, cond, values }) => [
    String(i), branch.grant, branch.check, cond, ...values, ...Array<string>(valueColumns - values.length).fill(''),
  ]);
  return { lines, valueColumns };
};
