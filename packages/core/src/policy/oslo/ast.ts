/**
 * A parsed oslo.policy check string (oslo_policy/_checks.py): what the operator wrote, before `rule:`
 * references are resolved. Atoms keep their source text so errors, audits and printed branches show the
 * operator's own spelling.
 */

/** One piece of a `%(name)s` match template: literal text or a key of the policy target. */
export type TemplatePiece = { readonly text: string } | { readonly key: string };
export type Template = ReadonlyArray<TemplatePiece>;

/** The left side of a generic check: a Python literal (already `str()`ed) or a dotted credentials path. */
export type GenericKind = { readonly literal: string } | { readonly path: ReadonlyArray<string> };

export type RoleCheck = { readonly type: 'role'; readonly match: string; readonly template: Template };
/** Nova's registered `is_admin` check (nova/policy.py IsAdminCheck): `match.lower() == 'true'`. */
export type IsAdminCheck = { readonly type: 'is_admin'; readonly match: string; readonly expected: boolean };
export type GenericCheck = {
  readonly type: 'generic';
  readonly kind: string;
  readonly left: GenericKind;
  readonly match: string;
  readonly template: Template;
};
export type RuleRef = { readonly type: 'rule'; readonly name: string };

/** A leaf that tests the request (everything but `@`, `!` and `rule:`). */
export type AtomCheck = RoleCheck | IsAdminCheck | GenericCheck;

export type Check =
  | { readonly type: 'always' }
  | { readonly type: 'never' }
  | AtomCheck
  | RuleRef
  | { readonly type: 'not'; readonly check: Check }
  | { readonly type: 'and'; readonly checks: ReadonlyArray<Check> }
  | { readonly type: 'or'; readonly checks: ReadonlyArray<Check> };

export const ALWAYS: Check = { type: 'always' };
export const NEVER: Check = { type: 'never' };

export const atomText = (atom: AtomCheck | RuleRef): string => {
  switch (atom.type) {
    case 'role': return `role:${atom.match}`;
    case 'is_admin': return `is_admin:${atom.match}`;
    case 'generic': return `${atom.kind}:${atom.match}`;
    case 'rule': return `rule:${atom.name}`;
  }
};

/** Whether a template reads the target (`%(key)s`), and which keys. */
export const templateKeys = (template: Template): ReadonlyArray<string> =>
  template.flatMap((piece) => ('key' in piece ? [piece.key] : []));

/** The text of a template that reads no key (`%%` already turned into `%`). */
export const constantText = (template: Template): string => template.map((p) => ('text' in p ? p.text : '')).join('');

/**
 * The check in oslo's text syntax, parenthesised only where precedence (not > and > or) needs it; parsing
 * the result gives the same tree.
 */
export const formatCheck = (check: Check): string => {
  switch (check.type) {
    case 'always': return '@';
    case 'never': return '!';
    case 'not': return `not ${check.check.type === 'and' || check.check.type === 'or' ? `(${formatCheck(check.check)})` : formatCheck(check.check)}`;
    case 'and': return check.checks.map((c) => (c.type === 'or' ? `(${formatCheck(c)})` : formatCheck(c))).join(' and ');
    case 'or': return check.checks.map(formatCheck).join(' or ');
    default: return atomText(check);
  }
};
