import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { fault, type Fault } from '../faults.js';
import { pyReprList, pyReprString } from '../json/py-repr.js';
import { queryLists, type QueryPairs } from './parse.js';

/**
 * The few JSON-Schema keywords Nova's hypervisor query schemas use, checked in the schemas' keyword
 * order so the first failure reported is the one jsonschema reports (nova/api/validation).
 * A check returns jsonschema's message, or null when the value passes.
 */
export type ItemCheck = ((value: string) => string | null) & {
  /** The JSON-Schema keywords the check stands for (the OpenAPI documents are generated from them). */
  readonly jsonSchema: Readonly<Record<string, unknown>>;
};

const check = (jsonSchema: Record<string, unknown>, test: (value: string) => string | null): ItemCheck => Object.assign(test, { jsonSchema });

export interface ParamSchema {
  /** `single_param`: at most one value (`maxItems: 1`). */
  readonly single: boolean;
  readonly item: ReadonlyArray<ItemCheck>;
}

export interface QuerySchema {
  /** In schema order: jsonschema walks `properties` in this order. */
  readonly params: ReadonlyArray<readonly [string, ParamSchema]>;
  /** `strip`: unknown names silently dropped (2.33–2.52); `reject`: `additionalProperties: false`. */
  readonly additional: 'strip' | 'reject';
  /**
   * Names the controller then reads with Python's `int()`, before policy (common.get_limit_and_marker):
   * the pattern `^[0-9]*$` lets a lone newline through (`$` matches before it), which `int` refuses.
   */
  readonly integers?: ReadonlyArray<string>;
}

export const pattern = (re: string): ItemCheck => {
  // Python's `re.search`: a final `$` also matches just before a trailing newline.
  const compiled = new RegExp(re.endsWith('$') ? `${re.slice(0, -1)}\\n?$` : re);
  return check({ pattern: re }, (v) => (compiled.test(v) ? null : `${pyReprString(v)} does not match ${pyReprString(re)}`));
};
export const minLength = (n: number): ItemCheck => check({ minLength: n }, (v) => ([...v].length >= n ? null : `${pyReprString(v)} is too short`));
export const maxLength = (n: number): ItemCheck => check({ maxLength: n }, (v) => ([...v].length <= n ? null : `${pyReprString(v)} is too long`));
export const oneOf = (allowed: ReadonlyArray<string | boolean>): ItemCheck => {
  const strings = allowed.filter((x): x is string => typeof x === 'string');
  const known = new Set(strings);
  // A query value is text: only the schema's strings can ever match it.
  return check({ enum: strings }, (v) => (known.has(v) ? null : `${pyReprString(v)} is not one of ${pyReprList(allowed)}`));
};

/** What Python's `int(str)` accepts in base 10 (ASCII digits, underscores between them, whitespace around). */
const PY_INT = /^[ \t\n\r\f\v]*[-+]?[0-9](?:_?[0-9])*[ \t\n\r\f\v]*$/;

const invalid = (name: string, value: string, message: string): Fault =>
  fault(400, `Invalid input for query parameters ${name}. Value: ${value}. ${message}`);

/** Validates, then returns the pairs the controller sees (stripped of unknown names under `strip`). */
export const validateQuery = (schema: QuerySchema, pairs: QueryPairs): Either<Fault, QueryPairs> => {
  const lists = queryLists(pairs);
  for (const [name, param] of schema.params) {
    const values = lists.get(name);
    if (values === undefined) continue;
    for (const v of values) {
      for (const check of param.item) {
        const message = check(v);
        if (message !== null) return left(invalid(name, v, message));
      }
    }
    if (param.single && values.length > 1) {
      const repr = pyReprList(values);
      return left(invalid(name, repr, `${repr} is too long`));
    }
  }
  const known = new Set(schema.params.map(([n]) => n));
  const extras = [...lists.keys()].filter((n) => !known.has(n));
  if (extras.length > 0 && schema.additional === 'reject') {
    const names = [...extras].sort().map(pyReprString).join(', ');
    return left(fault(400, `Additional properties are not allowed (${names} ${extras.length === 1 ? 'was' : 'were'} unexpected)`));
  }
  for (const name of schema.integers ?? []) {
    const last = lists.get(name)?.at(-1);
    if (last !== undefined && !PY_INT.test(last)) return left(fault(400, `Invalid input received: ${name} must be an integer`));
  }
  return right(extras.length === 0 ? pairs : pairs.filter(([n]) => known.has(n)));
};
