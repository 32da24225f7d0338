import { type AtomCheck, constantText, templateKeys } from '../oslo/ast.js';
import { LIST_CREDENTIAL_KEYS, SCALAR_CREDENTIAL_KEYS, TARGET_KEYS, TARGET_PROJECT_KEY } from '../request.js';

/**
 * What an atom can be, given the request shape (request.ts): a constant (oslo would answer the same for
 * every caller, e.g. a `%(key)s` the target never has), or a test on the request. `key` identifies
 * equivalent tests; `projectScoped` marks tests that read the target's `project_id`, the mark of a
 * project-scoped grant.
 */
export type AtomClass =
  | { readonly kind: 'constant'; readonly value: boolean; readonly why: string }
  | { readonly kind: 'test'; readonly key: string; readonly projectScoped: boolean };

const targetKeys = new Set<string>(TARGET_KEYS);
const scalarKeys = new Set<string>(SCALAR_CREDENTIAL_KEYS);
const listKeys = new Set<string>(LIST_CREDENTIAL_KEYS);

export const isScalarCredential = (key: string): boolean => scalarKeys.has(key);
export const isListCredential = (key: string): boolean => listKeys.has(key);

export const classifyAtom = (atom: AtomCheck): AtomClass => {
  if (atom.type === 'is_admin') return { kind: 'test', key: `is_admin:${atom.expected ? 'True' : 'False'}`, projectScoped: false };
  const keys = templateKeys(atom.template);
  const missing = keys.find((k) => !targetKeys.has(k));
  if (missing !== undefined) return { kind: 'constant', value: false, why: `the target has no "${missing}"` };
  const projectScoped = keys.includes(TARGET_PROJECT_KEY);
  if (atom.type === 'role') return { kind: 'test', key: `role:${atom.match.toLowerCase()}`, projectScoped };
  const { left } = atom;
  if ('literal' in left) {
    if (keys.length === 0) {
      const text = constantText(atom.template);
      return { kind: 'constant', value: left.literal === text, why: `a constant comparison of ${left.literal} with ${text}` };
    }
    return { kind: 'test', key: `${atom.kind}:${atom.match}`, projectScoped };
  }
  if (left.path.length > 1) return { kind: 'constant', value: false, why: 'the credentials hold no nested values' };
  const name = left.path[0]!;
  if (!scalarKeys.has(name) && !listKeys.has(name)) return { kind: 'constant', value: false, why: `the credentials have no "${name}"` };
  return { kind: 'test', key: `${atom.kind}:${atom.match}`, projectScoped };
};
