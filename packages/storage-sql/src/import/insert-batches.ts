import type { SourcedRow } from './table-rows.js';

/** Rows per INSERT: well under every dialect's bound-parameter limit (compute_nodes has 25 columns). */
export const ROWS_PER_INSERT = 200;

/**
 * String bytes per INSERT. MySQL refuses a statement over `max_allowed_packet` (16 MB by default on
 * MariaDB) and mysql2 sends values inline and escaped, so 200 rows of large `cpu_info` would not go in
 * one statement. A single row over the budget goes alone.
 */
export const BYTES_PER_INSERT = 4 * 1024 * 1024;

const rowBytes = (row: SourcedRow): number =>
  Object.values(row.values).reduce<number>((sum, value) => sum + (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 8), 0);

/** The rows in order, cut into INSERTs of at most ROWS_PER_INSERT rows and (bar single rows) BYTES_PER_INSERT. */
export const insertBatches = <R extends SourcedRow>(rows: ReadonlyArray<R>): R[][] => {
  const batches: R[][] = [];
  let batch: R[] = [];
  let bytes = 0;
  for (const row of rows) {
    const size = rowBytes(row);
    if (batch.length > 0 && (batch.length === ROWS_PER_INSERT || bytes + size > BYTES_PER_INSERT)) {
      batches.push(batch);
      batch = [];
      bytes = 0;
    }
    batch.push(row);
    bytes += size;
  }
  if (batch.length > 0) batches.push(batch);
  return batches;
};
