import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { Dataset, isLive } from '@os-hypervisors/core';

/** How many problems one message lists before summarising the rest: a whole bad file is not useful. */
const MAX_REPORTED = 5;

type Table = keyof Dataset;
const TABLES: ReadonlyArray<Table> = ['services', 'compute_nodes', 'aggregates', 'instances'];

/** io-ts types whose children are addressed by a key the reader would write (`rows[3].field`). */
const KEYED_TAGS = new Set(['InterfaceType', 'PartialType', 'StrictType', 'ExactType', 'ArrayType', 'DictionaryType']);

const tagOf = (type: t.Decoder<unknown, unknown>): string | undefined => (type as { _tag?: string })._tag;

/** Scalars keep io-ts's name (`(string | null)`); a row's or table's full type would drown the message. */
const expectedName = (type: t.Decoder<unknown, unknown>): string => {
  switch (tagOf(type)) {
    case 'ArrayType':
      return 'an array';
    case 'InterfaceType':
    case 'PartialType':
    case 'IntersectionType':
    case 'DictionaryType':
      return 'an object';
    default:
      return type.name;
  }
};

/**
 * The path a reader understands, `compute_nodes[3].vcpus`, and the type expected there. io-ts's context
 * also holds the branches of unions and intersections (keys "0", "1"); those are not part of the path.
 */
const describePath = (context: t.Context): { path: string; expected: string } => {
  let path = '';
  let expected = context[0] === undefined ? 'a dataset' : expectedName(context[0].type);
  for (let i = 1; i < context.length; i++) {
    const parent = context[i - 1]!;
    const entry = context[i]!;
    if (!KEYED_TAGS.has(tagOf(parent.type) ?? '')) continue;
    path += tagOf(parent.type) === 'ArrayType' ? `[${entry.key}]` : path === '' ? entry.key : `.${entry.key}`;
    expected = expectedName(entry.type);
  }
  return { path, expected };
};

const shown = (value: unknown): string => {
  if (value === undefined) return 'nothing (the field is missing)';
  const text = JSON.stringify(value);
  return text.length > 60 ? `${text.slice(0, 57)}...` : text;
};

/** `compute_nodes[3]` becomes `compute_nodes[3] (id 17)` when the row has an id: files are edited by id. */
const withRowId = (path: string, json: unknown): string => {
  const match = /^(\w+)\[(\d+)\]/.exec(path);
  if (match === null) return path;
  const rows = (json as Record<string, unknown>)[match[1]!];
  const row = Array.isArray(rows) ? rows[Number(match[2])] : undefined;
  const id = typeof row === 'object' && row !== null ? (row as { id?: unknown }).id : undefined;
  return typeof id === 'number' ? `${match[0]} (id ${id})${path.slice(match[0].length)}` : path;
};

const formatErrors = (errors: t.Errors, json: unknown): string => {
  // A nullable field reports once per union branch; one line per path is what a reader needs.
  const lines = new Map<string, string>();
  for (const error of errors) {
    const { path, expected } = describePath(error.context);
    const where = path === '' ? 'the dataset' : withRowId(path, json);
    if (!lines.has(where)) lines.set(where, `${where}: expected ${expected}, got ${shown(error.value)}`);
  }
  return summarise([...lines.values()]);
};

const summarise = (problems: ReadonlyArray<string>): string => {
  const head = problems.slice(0, MAX_REPORTED).join('; ');
  const rest = problems.length - MAX_REPORTED;
  return rest > 0 ? `${head}; and ${rest} more` : head;
};

/** Reports every row whose key was already used by an earlier row of the same table. */
const repeatedKeys = <R extends { id: number }>(
  table: Table,
  rows: ReadonlyArray<R>,
  keyOf: (row: R) => string | null,
  describe: (row: R) => string,
): string[] => {
  const firstIndex = new Map<string, number>();
  const problems: string[] = [];
  rows.forEach((row, index) => {
    const key = keyOf(row);
    if (key === null) return;
    const earlier = firstIndex.get(key);
    if (earlier === undefined) firstIndex.set(key, index);
    else problems.push(`${table}[${index}] (id ${row.id})${describe(row)}, already used by ${table}[${earlier}]`);
  });
  return problems;
};

/**
 * Nova's keys (nova/db/main/models.py): ids are primary keys; a live service is unique by (host, binary);
 * a node's uuid is unique. Repeats would make lookups ambiguous and SQL imports fail.
 */
const repeatedNovaKeys = (dataset: Dataset): string[] => [
  ...TABLES.flatMap((table) =>
    repeatedKeys(table, dataset[table] as ReadonlyArray<{ id: number }>, (row) => String(row.id), () => '.id: duplicate id'),
  ),
  ...repeatedKeys(
    'services',
    dataset.services,
    (s) => (isLive(s) ? JSON.stringify([s.host, s.binary]) : null),
    (s) => `.host: a live ${JSON.stringify(s.binary)} service on host ${JSON.stringify(s.host)}`,
  ),
  ...repeatedKeys(
    'compute_nodes',
    dataset.compute_nodes,
    (n) => (isLive(n) && n.uuid != null ? n.uuid : null),
    (n) => `.uuid: duplicate uuid ${JSON.stringify(n.uuid)}`,
  ),
];

/**
 * Validates a parsed JSON document as a Nova-shaped dataset. The error names the row (index and id) and
 * the field, e.g. `compute_nodes[3] (id 17).vcpus: expected number, got "8"`; then Nova's unique keys.
 */
export const decodeDataset = (json: unknown): Either<string, Dataset> => {
  const decoded = Dataset.decode(json);
  if (isLeft(decoded)) return left(formatErrors(decoded.left, json));
  const problems = repeatedNovaKeys(decoded.right);
  return problems.length > 0 ? left(summarise(problems)) : right(decoded.right);
};
