import fc from 'fast-check';
import { isLeft, isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseQuery } from '../src/query/parse.js';
import { LIST_QUERY_V233, LIST_QUERY_V253, SHOW_QUERY_V253 } from '../src/query/hypervisor-schemas.js';
import { validateQuery, type QuerySchema } from '../src/query/schema.js';

const check = (schema: QuerySchema, raw: string) => {
  const pairs = parseQuery(raw);
  if (isLeft(pairs)) throw new Error('not utf-8');
  return validateQuery(schema, pairs.right);
};
const message = (schema: QuerySchema, raw: string) => {
  const r = check(schema, raw);
  return isLeft(r) ? r.left.message : null;
};

// Messages observed on Nova Zed (reference os-hypervisors.md §4).
describe('hypervisor query schemas', () => {
  it.each([
    ['limit=-1', "Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'"],
    ['limit=abc', "Invalid input for query parameters limit. Value: abc. 'abc' does not match '^[0-9]*$'"],
    ['limit=1.5', "Invalid input for query parameters limit. Value: 1.5. '1.5' does not match '^[0-9]*$'"],
    ['limit=', "Invalid input for query parameters limit. Value: . '' is too short"],
    ['limit=1&limit=2', "Invalid input for query parameters limit. Value: ['1', '2']. ['1', '2'] is too long"],
    ['hypervisor_hostname_pattern=', "Invalid input for query parameters hypervisor_hostname_pattern. Value: . '' is too short"],
    ['hypervisor_hostname_pattern=a%25b', "Invalid input for query parameters hypervisor_hostname_pattern. Value: a%b. 'a%b' does not match '^[a-zA-Z0-9-._]*$'"],
    ['hypervisor_hostname_pattern=a&hypervisor_hostname_pattern=b', "Invalid input for query parameters hypervisor_hostname_pattern. Value: ['a', 'b']. ['a', 'b'] is too long"],
    ['with_servers=maybe', "Invalid input for query parameters with_servers. Value: maybe. 'maybe' is not one of [True, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes', False, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no']"],
    ['with_servers=1&with_servers=0', "Invalid input for query parameters with_servers. Value: ['1', '0']. ['1', '0'] is too long"],
    ['foo=bar', "Additional properties are not allowed ('foo' was unexpected)"],
    ['foo=bar&baz=1', "Additional properties are not allowed ('baz', 'foo' were unexpected)"],
  ])('2.53 list: %s', (raw, expected) => {
    expect(message(LIST_QUERY_V253, raw)).toBe(expected);
  });

  it('2.33 accepts repeated values, validates each, strips unknown names', () => {
    expect(message(LIST_QUERY_V233, 'limit=-1')).toBe("Invalid input for query parameters limit. Value: -1. '-1' does not match '^[0-9]*$'");
    const r = check(LIST_QUERY_V233, 'limit=1&foo=2&limit=2&marker=x');
    expect(isRight(r) && r.right).toEqual([['limit', '1'], ['limit', '2'], ['marker', 'x']]);
  });

  it('show at 2.53 accepts only with_servers', () => {
    expect(message(SHOW_QUERY_V253, 'with_servers=yes')).toBeNull();
    expect(message(SHOW_QUERY_V253, 'limit=1')).toBe("Additional properties are not allowed ('limit' was unexpected)");
  });

  it('refuses a non-UTF-8 query string', () => {
    expect(isLeft(parseQuery('a=%ff'))).toBe(true);
    expect(parseQuery('a=caf%C3%A9+x&b')).toEqual({ _tag: 'Right', right: [['a', 'café x'], ['b', '']] });
  });

  it('never throws and only accepts digits as a limit, whatever the input', () => {
    fc.assert(
      fc.property(fc.string(), (value) => {
        const r = validateQuery(LIST_QUERY_V253, [['limit', value]]);
        expect(isRight(r)).toBe(/^[0-9]+\n?$/.test(value));
      }),
    );
  });
});
