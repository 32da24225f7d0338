import type { AggregateRow, ComputeNodeRow, HypervisorStatistics, InstanceRow, NodeWithService, ServiceRow } from '@os-hypervisors/core';
import { STATISTICS_KEYS } from '@os-hypervisors/core';
import type { OshDatabase } from '../schema/tables.js';
import { SERVICES } from '../schema/tables.js';

type Service = OshDatabase['services'];
type ServiceColumn = keyof Service;
export type ServiceSelection = { [K in ServiceColumn as `s_${K}`]: Service[K] | null };

/** The joined service's columns, aliased `s_<column>` next to the node's. */
export const SERVICE_SELECTION = (Object.keys(SERVICES) as ServiceColumn[]).map((c) => `s.${c} as s_${c}` as const) as ReadonlyArray<`s.${ServiceColumn} as s_${ServiceColumn}`>;

const bool = (flag: number | null): boolean => flag === 1;

/** Soft-delete bookkeeping and derived columns are the database's business, not the port's. */
export const toNodeRow = (row: OshDatabase['compute_nodes']): ComputeNodeRow => {
  const { hypervisor_hostname_folded: _folded, deleted: _deleted, ...node } = row;
  return node;
};

/** The joined service, or null when the left join found none; flags become booleans again. */
const toServiceRow = (row: ServiceSelection): ServiceRow | null => {
  if (row.s_id === null) return null;
  const service: Record<string, unknown> = {};
  for (const [column, spec] of Object.entries(SERVICES)) {
    if (column === 'deleted') continue;
    const value = row[`s_${column as ServiceColumn}`];
    service[column] = spec.kind === 'flag' ? bool(value as number | null) : value;
  }
  return service as ServiceRow;
};

export const toNodeWithService = (row: OshDatabase['compute_nodes'] & ServiceSelection): NodeWithService => ({
  node: toNodeRow(row),
  service: toServiceRow(row),
});

export const toInstanceRow = (row: OshDatabase['instances']): InstanceRow => {
  const { deleted: _deleted, ...instance } = row;
  return instance;
};

export const toAggregateRow = (
  row: OshDatabase['aggregates'],
  hosts: ReadonlyArray<string>,
  metadata: ReadonlyArray<readonly [string, string]>,
): AggregateRow => {
  const { deleted: _deleted, ...aggregate } = row;
  return { ...aggregate, hosts: [...hosts], metadata: Object.fromEntries(metadata) };
};

/** PostgreSQL's count/sum are bigint/numeric and MySQL's sum is DECIMAL: the drivers hand them over as strings. */
export const toStatistics = (row: Record<string, unknown> | undefined): HypervisorStatistics =>
  Object.fromEntries(STATISTICS_KEYS.map((k) => [k, Number(row?.[k] ?? 0)])) as unknown as HypervisorStatistics;
