import type { Dataset } from '@os-hypervisors/core';
import { decodeDataset } from '@os-hypervisors/storage-memory';
import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { Kysely } from 'kysely';
import { openDatabase } from '../connection/open-database.js';
import type { SqlStorageOptions } from '../connection/options.js';
import { migrateToLatest } from '../schema/migrations.js';
import type { OshDatabase, TableName } from '../schema/tables.js';
import { columnProblems } from './check-columns.js';
import { insertBatches } from './insert-batches.js';
import { toTableRows, type SourcedRow, type TableRows } from './table-rows.js';

/** Rows written per table, deleted ones included (they are kept, as Nova keeps them). */
export type ImportSummary = { readonly [T in keyof Dataset]: number };

/**
 * How far an import is, after each INSERT (and once for a table with no rows): a progress callback port,
 * so a CLI can draw a bar on a terminal while a library caller stays silent. Rows count every row
 * written, aggregate hosts, metadata and tenants included.
 */
export interface ImportProgress {
  readonly table: TableName;
  readonly tableRowsDone: number;
  readonly tableRowsTotal: number;
  readonly rowsDone: number;
  readonly rowsTotal: number;
  /** Tables completely written (the current one included once its last row is in). */
  readonly tablesDone: number;
  readonly tablesTotal: number;
}

export interface ImportOptions {
  readonly onProgress?: (progress: ImportProgress) => void;
}

/** Parents first; deleted in reverse. There are no foreign keys, but the order reads naturally. */
const INSERT_ORDER: ReadonlyArray<TableName> = [
  'services', 'compute_nodes', 'aggregates', 'aggregate_hosts', 'aggregate_metadata', 'aggregate_tenants', 'instances',
];
const MAX_REPORTED = 5;

const summarise = (problems: ReadonlyArray<string>): string =>
  problems.slice(0, MAX_REPORTED).join('; ') + (problems.length > MAX_REPORTED ? `; and ${problems.length - MAX_REPORTED} more` : '');

const replaceContents = (db: Kysely<OshDatabase>, rows: TableRows, onProgress?: ImportOptions['onProgress']): Promise<void> =>
  db.transaction().execute(async (trx) => {
    for (const table of [...INSERT_ORDER].reverse()) await trx.deleteFrom(table).execute();
    const rowsTotal = INSERT_ORDER.reduce((n, table) => n + rows[table].length, 0);
    let rowsDone = 0;
    for (const [i, table] of INSERT_ORDER.entries()) {
      const tableRowsTotal = rows[table].length;
      let tableRowsDone = 0;
      const report = () => onProgress?.({
        table, tableRowsDone, tableRowsTotal, rowsDone, rowsTotal, tablesDone: tableRowsDone === tableRowsTotal ? i + 1 : i, tablesTotal: INSERT_ORDER.length,
      });
      if (tableRowsTotal === 0) report();
      for (const chunk of insertBatches<SourcedRow>(rows[table])) {
        await trx.insertInto(table).values(chunk.map((r) => r.values) as never).execute();
        tableRowsDone += chunk.length;
        rowsDone += chunk.length;
        report();
      }
    }
  });

/**
 * Replaces the database's contents with `dataset` in ONE transaction (after migrating the schema): other
 * replicas see the old data or the new, and a bad file imports nothing. Values that do not fit their
 * columns are refused first, naming row and field: `compute_nodes[3] (id 17).host_ip: longer than 39 characters (40)`.
 */
export const importDataset = async (db: Kysely<OshDatabase>, dataset: Dataset, options: ImportOptions = {}): Promise<Either<string, ImportSummary>> => {
  const rows = toTableRows(dataset);
  const problems = columnProblems(rows);
  if (problems.length > 0) return left(summarise(problems));
  try {
    await migrateToLatest(db);
    await replaceContents(db, rows, options.onProgress);
  } catch (error) {
    return left(`import failed, nothing was imported: ${error instanceof Error ? error.message : String(error)}`);
  }
  return right({
    services: dataset.services.length,
    compute_nodes: dataset.compute_nodes.length,
    aggregates: dataset.aggregates.length,
    instances: dataset.instances.length,
  });
};

/**
 * For `os-hypervisors-server import --data FILE --db URL`: validates the parsed JSON document
 * (`decodeDataset`: row and field named), then imports it into the database at `url`.
 */
export const importDatasetFromUrl = async (url: string, json: unknown, options: SqlStorageOptions & ImportOptions = {}): Promise<Either<string, ImportSummary>> => {
  const dataset = decodeDataset(json);
  if (isLeft(dataset)) return dataset;
  const opened = openDatabase(url, options);
  if (isLeft(opened)) return opened;
  try {
    return await importDataset(opened.right.db, dataset.right, options);
  } finally {
    await opened.right.db.destroy();
  }
};
