import type { AggregateRow, ComputeNodeRow, InstanceRow, ServiceRow } from './dataset.js';

/**
 * What the storage port hands the core: a live compute node and the live `nova-compute` service whose
 * `host` equals the node's `host` (Nova's `service_get_by_compute_host`, not `service_id`), or null
 * when there is none (Nova then skips the node in lists and answers 404 on show).
 */
export interface NodeWithService {
  readonly node: ComputeNodeRow;
  readonly service: ServiceRow | null;
  /**
   * Multi-cell backends only: the cell the node row lives in (opaque to the core). Node ids repeat across
   * cells, so a paging marker is the pair (cell, id); single-database backends leave it out.
   */
  readonly cell?: string;
  /**
   * Multi-cell backends only: the node's host has no host mapping (Nova's HostMappingNotFound), so
   * `service` is null. Lists skip the node as any service-less one; the < 2.53 search routes answer 404.
   */
  readonly hostUnmapped?: boolean;
}

export type { AggregateRow, ComputeNodeRow, InstanceRow, ServiceRow };

/** `compute_node_statistics` sums, in Nova's key order (nova/db/main/api.py). */
export interface HypervisorStatistics {
  readonly count: number;
  readonly vcpus: number;
  readonly memory_mb: number;
  readonly local_gb: number;
  readonly vcpus_used: number;
  readonly memory_mb_used: number;
  readonly local_gb_used: number;
  readonly free_ram_mb: number;
  readonly free_disk_gb: number;
  readonly current_workload: number;
  readonly running_vms: number;
  readonly disk_available_least: number;
}

export const STATISTICS_KEYS = [
  'count', 'vcpus', 'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used',
  'free_ram_mb', 'free_disk_gb', 'current_workload', 'running_vms', 'disk_available_least',
] as const satisfies ReadonlyArray<keyof HypervisorStatistics>;
