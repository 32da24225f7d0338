import { aggregateTenants, isLive, truthy, type Dataset } from '@os-hypervisors/core';
import { foldAsciiCase } from '@os-hypervisors/storage-memory';
import type { ColumnSpec } from '../schema/columns.js';
import { TABLES, type OshDatabase, type TableName } from '../schema/tables.js';

/** A row to insert, with where each value came from in the dataset, for error messages. */
export interface SourcedRow<T extends TableName = TableName> {
  readonly values: OshDatabase[T];
  /** `compute_nodes[3] (id 17)` */
  readonly source: string;
  /** Dataset paths for values not read from a field of the same name (derived or nested ones). */
  readonly fieldSources?: Readonly<Partial<Record<keyof OshDatabase[T], string>>>;
}

export type TableRows = { [T in TableName]: Array<SourcedRow<T>> };

type DatasetRow = { id: number; deleted?: number | boolean } & Record<string, unknown>;

/** Nova's soft delete: 0 while live, the row's own id once deleted (keeps unique keys usable). */
const deletedMarker = (row: DatasetRow): number => (isLive(row) ? 0 : row.id);

/** A table row read field by field from the dataset row of the same name; flags as 0/1, absent as NULL. */
const fromFields = <T extends TableName>(table: T, row: DatasetRow, derived: Partial<Record<string, unknown>> = {}): OshDatabase[T] => {
  const values: Record<string, unknown> = {};
  for (const [column, spec] of Object.entries(TABLES[table]) as Array<[string, ColumnSpec]>) {
    if (column in derived) values[column] = derived[column];
    else if (column === 'deleted') values[column] = deletedMarker(row);
    else if (spec.kind === 'flag') values[column] = truthy(row[column] as boolean | 0 | 1 | undefined) ? 1 : 0;
    else values[column] = row[column] ?? null;
  }
  return values as OshDatabase[T];
};

const sourceOf = (table: string, index: number, row: { id: number }): string => `${table}[${index}] (id ${row.id})`;

const mainRows = <T extends 'services' | 'compute_nodes' | 'aggregates' | 'instances'>(
  table: T,
  rows: ReadonlyArray<DatasetRow>,
  derived: (row: DatasetRow) => Partial<Record<string, unknown>> = () => ({}),
): Array<SourcedRow<T>> =>
  rows.map((row, index) => ({ values: fromFields(table, row, derived(row)), source: sourceOf(table, index, row) }));

/** The dataset as table rows, including what the importer derives: folded hostnames, tenant grants. */
export const toTableRows = (dataset: Dataset): TableRows => {
  const rows: TableRows = {
    services: mainRows('services', dataset.services),
    compute_nodes: mainRows('compute_nodes', dataset.compute_nodes, (n) => ({
      hypervisor_hostname_folded: typeof n.hypervisor_hostname === 'string' ? foldAsciiCase(n.hypervisor_hostname) : null,
    })).map((r) => ({ ...r, fieldSources: { hypervisor_hostname_folded: `${r.source}.hypervisor_hostname` } })),
    aggregates: mainRows('aggregates', dataset.aggregates),
    aggregate_hosts: [],
    aggregate_metadata: [],
    aggregate_tenants: [],
    instances: mainRows('instances', dataset.instances),
  };
  dataset.aggregates.forEach((aggregate, index) => {
    const source = sourceOf('aggregates', index, aggregate);
    (aggregate.hosts ?? []).forEach((host, position) => {
      rows.aggregate_hosts.push({ values: { aggregate_id: aggregate.id, position, host }, source, fieldSources: { host: `${source}.hosts[${position}]` } });
    });
    Object.entries(aggregate.metadata ?? {}).forEach(([key, value], position) => {
      const field = `${source}.metadata[${JSON.stringify(key)}]`;
      rows.aggregate_metadata.push({ values: { aggregate_id: aggregate.id, position, key, value }, source, fieldSources: { key: `${field} (the key)`, value: field } });
    });
    for (const project_id of aggregateTenants(aggregate)) {
      rows.aggregate_tenants.push({ values: { aggregate_id: aggregate.id, project_id }, source, fieldSources: { project_id: `${source}.metadata (a filter_tenant_id project)` } });
    }
  });
  return rows;
};
