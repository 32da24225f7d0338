import { maxLength, minLength, oneOf, pattern, type ParamSchema, type QuerySchema } from './schema.js';

// nova/api/validation/parameter_types.py and nova/api/openstack/compute/schemas/hypervisors.py (Zed).
export const BOOLEAN_ENUM: ReadonlyArray<string | boolean> = [
  true, 'True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes',
  false, 'False', 'FALSE', 'false', '0', 'OFF', 'Off', 'off', 'NO', 'No', 'no',
];
const TRUE_STRINGS = new Set(['True', 'TRUE', 'true', '1', 'ON', 'On', 'on', 'YES', 'Yes', 'yes']);

/** `strutils.bool_from_string(strict=True)` on a value the schema already accepted. */
export const schemaBoolean = (v: string | undefined): boolean => v !== undefined && TRUE_STRINGS.has(v);

/** non_negative_integer: type, pattern, minimum, minLength (the pattern already rules out negatives). */
const nonNegativeInteger = [pattern('^[0-9]*$'), minLength(1)];
const fqdn = [minLength(1), maxLength(255), pattern('^[a-zA-Z0-9-._]*$')];

const multi = (item: ParamSchema['item']): ParamSchema => ({ single: false, item });
const single = (item: ParamSchema['item']): ParamSchema => ({ single: true, item });

export const LIST_QUERY_V233: QuerySchema = {
  params: [['limit', multi(nonNegativeInteger)], ['marker', multi([])]],
  additional: 'strip',
  integers: ['limit'],
};

export const LIST_QUERY_V253: QuerySchema = {
  params: [
    ['limit', single(nonNegativeInteger)],
    ['marker', single([])],
    ['hypervisor_hostname_pattern', single(fqdn)],
    ['with_servers', single([oneOf(BOOLEAN_ENUM)])],
  ],
  additional: 'reject',
  integers: ['limit'],
};

export const SHOW_QUERY_V253: QuerySchema = {
  params: [['with_servers', single([oneOf(BOOLEAN_ENUM)])]],
  additional: 'reject',
};
