import type { HypervisorStatistics, NodeWithService, ServiceRow } from '@os-hypervisors/core';
import { STATISTICS_KEYS, truthy } from '@os-hypervisors/core';
import type { DatasetIndex } from './dataset-index.js';

type Summed = Exclude<(typeof STATISTICS_KEYS)[number], 'count'>;
const SUMMED = STATISTICS_KEYS.filter((k): k is Summed => k !== 'count');

/**
 * The enabled compute services a node joins to in Nova's `compute_node_statistics`
 * (nova/db/main/api.py): `services.host = compute_nodes.host OR services.id = compute_nodes.service_id`.
 * It is a join, so a node matching two different services counts twice, as in Nova.
 */
const joinedServices = (index: DatasetIndex, { node }: NodeWithService): ServiceRow[] => {
  const byHost = node.host == null ? undefined : index.computeServiceByHost.get(node.host);
  const byId = node.service_id == null ? undefined : index.computeServiceById.get(node.service_id);
  const matches = byHost !== undefined && byId !== undefined && byHost !== byId ? [byHost, byId] : [byHost ?? byId];
  return matches.filter((s): s is ServiceRow => s !== undefined && !truthy(s.disabled));
};

/** Sums over the given nodes; a NULL column adds 0 and an empty join gives zeros (Nova's COALESCE-free SUM, shown as 0). */
export const computeStatistics = (index: DatasetIndex, nodes: ReadonlyArray<NodeWithService>): HypervisorStatistics => {
  const totals: Record<(typeof STATISTICS_KEYS)[number], number> = Object.fromEntries(STATISTICS_KEYS.map((k) => [k, 0])) as never;
  for (const entry of nodes) {
    for (const _ of joinedServices(index, entry)) {
      totals.count += 1;
      for (const key of SUMMED) totals[key] += entry.node[key] ?? 0;
    }
  }
  return totals;
};
