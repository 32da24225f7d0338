import { fitsIntegerColumn, fitsTextColumn, TEXT_MAX_BYTES, type ColumnSpec } from '../schema/columns.js';
import { TABLES, type TableName } from '../schema/tables.js';
import type { SourcedRow, TableRows } from './table-rows.js';

/** Why a value does not fit its column, or null when it does. */
const misfit = (spec: ColumnSpec, value: unknown): string | null => {
  if (value === null) return spec.nullable ? null : 'must not be null';
  switch (spec.kind) {
    case 'integer':
    case 'flag':
      return fitsIntegerColumn(value) ? null : `expected a 32-bit integer, got ${JSON.stringify(value)}`;
    case 'varchar':
    case 'text': {
      if (typeof value !== 'string') return `expected a string, got ${JSON.stringify(value)}`;
      // The other databases would keep a NUL, but the backends must agree.
      if (!fitsTextColumn(value)) return 'contains a NUL character';
      if (spec.kind === 'text') {
        const bytes = Buffer.byteLength(value, 'utf8');
        return bytes > TEXT_MAX_BYTES ? `longer than ${TEXT_MAX_BYTES} bytes in UTF-8 (${bytes})` : null;
      }
      const length = [...value].length;
      return spec.length !== undefined && length > spec.length ? `longer than ${spec.length} characters (${length})` : null;
    }
  }
};

const rowProblems = (table: TableName, row: SourcedRow): string[] =>
  (Object.entries(TABLES[table]) as Array<[string, ColumnSpec]>).flatMap(([column, spec]) => {
    const problem = misfit(spec, (row.values as Record<string, unknown>)[column]);
    if (problem === null) return [];
    const where = (row.fieldSources as Record<string, string> | undefined)?.[column] ?? `${row.source}.${column}`;
    return [`${where}: ${problem}`];
  });

/**
 * Every value that would not fit its column, named by its place in the dataset, so a bad file is refused
 * before anything is written (the database's own error would name neither row nor field).
 */
export const columnProblems = (rows: TableRows): string[] =>
  (Object.keys(rows) as TableName[]).flatMap((table) => (rows[table] as SourcedRow[]).flatMap((row) => rowProblems(table, row)));
