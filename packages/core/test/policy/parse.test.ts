import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { formatCheck, type Check } from '../../src/policy/oslo/ast.js';
import { parseCheckString, parseListRule, parseRuleValue, parseTemplate } from '../../src/policy/oslo/parse.js';

const parsed = (text: string): Check => {
  const r = parseCheckString(text);
  if (isLeft(r)) throw new Error(`${text}: ${r.left.message}`);
  return r.right;
};
const error = (text: string) => {
  const r = parseCheckString(text);
  if (isRight(r)) throw new Error(`${text} parsed as ${formatCheck(r.right)}`);
  return r.left;
};
/** The tree as a compact string: [and ...], [or ...], [not ...], atoms as written. */
const shape = (c: Check): string => {
  switch (c.type) {
    case 'and':
    case 'or': return `[${c.type} ${c.checks.map(shape).join(' ')}]`;
    case 'not': return `[not ${shape(c.check)}]`;
    default: return formatCheck(c);
  }
};

describe('oslo check strings: atoms', () => {
  it('"@" and the empty string allow, "!" denies', () => {
    expect(parsed('@')).toEqual({ type: 'always' });
    expect(parsed('')).toEqual({ type: 'always' });
    expect(parsed('!')).toEqual({ type: 'never' });
  });
  it('role: keeps the match as written (compared case-insensitively later)', () => {
    expect(parsed('role:Admin')).toEqual({ type: 'role', match: 'Admin', template: [{ text: 'Admin' }] });
  });
  it('rule: names another rule, everything after the first colon', () => {
    expect(parsed('rule:os_compute_api:os-hypervisors')).toEqual({ type: 'rule', name: 'os_compute_api:os-hypervisors' });
  });
  it('is_admin: is true only for "true" in any case (nova IsAdminCheck)', () => {
    expect(parsed('is_admin:True')).toMatchObject({ type: 'is_admin', expected: true });
    expect(parsed('is_admin:TRUE')).toMatchObject({ type: 'is_admin', expected: true });
    expect(parsed('is_admin:False')).toMatchObject({ type: 'is_admin', expected: false });
    expect(parsed('is_admin:yes')).toMatchObject({ type: 'is_admin', expected: false });
  });
  it('generic kind:match with %(name)s substitution from the target', () => {
    expect(parsed('project_id:%(project_id)s')).toEqual({
      type: 'generic', kind: 'project_id', left: { path: ['project_id'] }, match: '%(project_id)s', template: [{ key: 'project_id' }],
    });
    expect(parsed('system_scope:all')).toMatchObject({ left: { path: ['system_scope'] }, template: [{ text: 'all' }] });
    expect(parsed('user_id:%(user_id)s')).toMatchObject({ template: [{ key: 'user_id' }] });
    expect(parsed('user.domain.id:default')).toMatchObject({ left: { path: ['user', 'domain', 'id'] } });
  });
  it('the generic check splits at the first colon only', () => {
    expect(parsed('role:compute:admin')).toMatchObject({ type: 'role', match: 'compute:admin' });
    expect(parsed('tag:a:b')).toMatchObject({ kind: 'tag', match: 'a:b' });
  });
  it('literals on the left: True, False, None, integers, quoted strings', () => {
    expect(parsed("'p1':%(project_id)s")).toMatchObject({ left: { literal: 'p1' } });
    expect(parsed('"p1":%(project_id)s')).toMatchObject({ left: { literal: 'p1' } });
    expect(parsed('True:%(enabled)s')).toMatchObject({ left: { literal: 'True' } });
    expect(parsed('None:x')).toMatchObject({ left: { literal: 'None' } });
    expect(parsed('20:%(count)s')).toMatchObject({ left: { literal: '20' } });
    expect(parsed('-0:x')).toMatchObject({ left: { literal: '0' } });
  });
  it('the kind is case-sensitive: ROLE:admin is a generic check, not a role check', () => {
    expect(parsed('ROLE:admin')).toMatchObject({ type: 'generic', kind: 'ROLE' });
  });
  it('quotes on the right are kept as part of the value', () => {
    expect(parsed("role:'admin'")).toMatchObject({ type: 'role', match: "'admin'" });
  });
  it('templates: %% is a percent sign, text around keys is kept', () => {
    expect(parseTemplate('a%(x)sb%%c')).toEqual([{ text: 'a' }, { key: 'x' }, { text: 'b%c' }]);
    expect(parseTemplate('')).toEqual([{ text: '' }]);
  });
});

describe('oslo check strings: operators', () => {
  it.each([
    ['role:a and role:b', '[and role:a role:b]'],
    ['role:a or role:b', '[or role:a role:b]'],
    ['not role:a', '[not role:a]'],
    ['role:a or role:b and role:c', '[or role:a [and role:b role:c]]'],
    ['role:a and role:b or role:c', '[or [and role:a role:b] role:c]'],
    ['not role:a and role:b', '[and [not role:a] role:b]'],
    ['not role:a or role:b', '[or [not role:a] role:b]'],
    ['role:a and not role:b', '[and role:a [not role:b]]'],
    ['not not role:a', '[not [not role:a]]'],
    ['(role:a or role:b) and role:c', '[and [or role:a role:b] role:c]'],
    ['not (role:a or role:b)', '[not [or role:a role:b]]'],
    ['((role:a))', 'role:a'],
    ['role:a or (project_id:%(project_id)s and not role:dunce)', '[or role:a [and project_id:%(project_id)s [not role:dunce]]]'],
    ['role:reader and system_scope:all or (role:admin and project_id:%(project_id)s)', '[or [and role:reader system_scope:all] [and role:admin project_id:%(project_id)s]]'],
  ])('%s', (text, expected) => {
    expect(shape(parsed(text))).toBe(expected);
  });
  it('keywords are case-insensitive', () => {
    expect(shape(parsed('role:a AND role:b Or NOT role:c'))).toBe('[or [and role:a role:b] [not role:c]]');
  });
  it('whitespace of any kind separates tokens; parentheses count only at the edges of a token (as oslo)', () => {
    expect(shape(parsed('\t(role:a\n or\trole:b)and(role:c)'))).toBe('[or role:a role:b)and(role:c]');
    expect(shape(parsed('(role:a)  and  (role:b)'))).toBe('[and role:a role:b]');
  });
  it('a %(key)s inside a parenthesised group keeps its parentheses', () => {
    expect(shape(parsed('(project_id:%(project_id)s)'))).toBe('project_id:%(project_id)s');
  });
  it('formatting and parsing again gives the same tree', () => {
    for (const text of ['not (role:a or role:b) and role:c', 'role:a or role:b and not role:c', "'x':%(project_id)s or !", '@ and not !']) {
      const once = parsed(text);
      expect(parsed(formatCheck(once))).toEqual(once);
    }
  });
});

describe('oslo check strings: errors name the problem and the column', () => {
  it.each([
    ['role:a and', 'unexpected end of check string after "and"', undefined],
    ['and role:a', 'unexpected token "and" at column 1', 1],
    ['role:a or or role:b', 'unexpected token "or" at column 11', 11],
    ['role:a role:b', 'unexpected token "role:b" at column 8', 8],
    ['(role:a', 'missing ")" to close "(" opened at column 1', undefined],
    ['role:a)', 'unexpected token ")" at column 7', 7],
    ['()', 'unexpected token ")" at column 2', 2],
    ['not', 'unexpected end of check string after "not"', undefined],
    ['role:a and not', 'unexpected end of check string after "not"', undefined],
    ['   ', 'empty check string', undefined],
    ["'admin'", "quoted string 'admin' is not a check at column 1", 1],
    ['role:a or "role:b"', 'quoted string "role:b" is not a check at column 11', 11],
    ['admin', '"admin" is not a check: expected kind:match, "@" or "!" at column 1', 1],
    ['[["role:admin"]]', '"[["role:admin"]]" looks like the legacy list form, which is a YAML/JSON list, not a string at column 1', 1],
    ['http://policy.example/check', 'remote "http:" checks are not supported at column 1', 1],
    ['role:a or https:x', 'remote "https:" checks are not supported at column 11', 11],
    ['project_id:%(project_id)d', 'unsupported substitution in "%(project_id)d": only %(name)s and %% are allowed at column 1', 1],
    ['role:100%', 'unsupported substitution in "100%": only %(name)s and %% are allowed at column 1', 1],
    ['1.5:x', 'unsupported left-hand side "1.5" (literals: True, False, None, integers, \'quoted strings\') at column 1', 1],
    [':x', 'unsupported left-hand side "" (literals: True, False, None, integers, \'quoted strings\') at column 1', 1],
  ])('%s', (text, message, column) => {
    const e = error(text);
    expect(e.message).toBe(message);
    expect(e.column).toBe(column);
  });
});

describe('legacy list form', () => {
  const list = (value: unknown[]) => {
    const r = parseListRule(value);
    if (isLeft(r)) throw new Error(r.left.message);
    return shape(r.right);
  };
  it('[["a", "b"], ["c"]] is (a and b) or c', () => {
    expect(list([['role:a', 'role:b'], ['role:c']])).toBe('[or [and role:a role:b] role:c]');
  });
  it('elements are single atoms, never expressions', () => {
    expect(list([['role:admin and x']])).toBe('role:admin and x');
    const r = parseListRule([['role:admin and x']]);
    expect(isRight(r) && r.right).toMatchObject({ type: 'role', match: 'admin and x' });
  });
  it('a bare string is a one-element list; empty inner lists are skipped', () => {
    expect(list(['role:a', [], ['role:b']])).toBe('[or role:a role:b]');
  });
  it('[] allows everyone, [[]] denies everyone (as oslo)', () => {
    expect(list([])).toBe('@');
    expect(list([[]])).toBe('!');
  });
  it('errors: non-string elements, empty atoms, deeper nesting', () => {
    expect(parseListRule([[1]])).toMatchObject({ left: { message: 'list form: element 1.1 must be a string' } });
    expect(parseListRule([['role:a', '']])).toMatchObject({ left: { message: 'list form: element 1.2 is empty' } });
    expect(parseListRule([{ a: 1 }])).toMatchObject({ left: { message: 'list form: element 1 must be a string or a list of strings' } });
    expect(parseListRule([['admin']])).toMatchObject({ left: { message: '"admin" is not a check: expected kind:match, "@" or "!"' } });
  });
  it('rule values: strings, lists; null and other types are refused', () => {
    expect(isRight(parseRuleValue('role:a'))).toBe(true);
    expect(isRight(parseRuleValue([['role:a']]))).toBe(true);
    expect(parseRuleValue(null)).toMatchObject({ left: { message: expect.stringContaining('no check string (oslo would allow everyone)') } });
    expect(parseRuleValue(true)).toMatchObject({ left: { message: 'the value must be a check string, not boolean true' } });
    expect(parseRuleValue({ a: 'b' })).toMatchObject({ left: { message: 'the value must be a check string, not object {"a":"b"}' } });
  });
});
