import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { InjectionToken } from 'tsyringe';
import type {
  AggregateRow,
  HypervisorStatistics,
  InstanceRow,
  NodeWithService,
} from './model/records.js';
import type { Visibility } from './model/visibility.js';

/**
 * A storage failure. The handler turns it into a 5xx Nova fault, never into a wrong or partial answer:
 * `unavailable` -> 503 serviceUnavailable, `timeout` / `failed` -> 500 computeFault.
 */
export interface StorageFault {
  readonly kind: 'unavailable' | 'timeout' | 'failed';
  readonly message: string;
  readonly cause?: unknown;
}

export interface NodePageQuery {
  readonly visibility: Visibility;
  /** Only nodes with `compute_nodes.id` strictly greater than this (keyset paging). */
  readonly afterId?: number;
  /**
   * With `afterId`, from a multi-cell backend: the marker node's `cell`. The page goes on after that node
   * in its cell, then through the cells after it (Nova's HostAPI.compute_node_get_all). Others ignore it.
   */
  readonly afterCell?: string;
  /** At most this many node rows (paging happens on node rows, before service-less ones are skipped). */
  readonly limit?: number;
}

/**
 * The storage port. Every method sees only live rows (`deleted` = 0) and applies `visibility` itself,
 * so a hidden hypervisor is indistinguishable from a missing one at the source.
 * Orders: nodes by `compute_nodes.id` ascending; instances by `instances.id` ascending.
 */
export interface HypervisorStorage {
  listNodes(query: NodePageQuery): TaskEither<StorageFault, ReadonlyArray<NodeWithService>>;
  findNodeById(id: number, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null>;
  findNodeByUuid(uuid: string, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null>;
  /**
   * Nodes whose `hypervisor_hostname` contains `pattern`: a literal, ASCII case-insensitive substring
   * match (`%` and `_` are ordinary characters, never SQL wildcards).
   */
  searchNodes(pattern: string, visibility: Visibility): TaskEither<StorageFault, ReadonlyArray<NodeWithService>>;
  /** Live instances per host, for the given hosts only. Hosts without instances may be absent. */
  instancesByHosts(hosts: ReadonlyArray<string>): TaskEither<StorageFault, ReadonlyMap<string, ReadonlyArray<InstanceRow>>>;
  /** Nova's `compute_node_statistics` over visible nodes. */
  statistics(visibility: Visibility): TaskEither<StorageFault, HypervisorStatistics>;
  listAggregates(): TaskEither<StorageFault, ReadonlyArray<AggregateRow>>;
  findAggregate(id: number): TaskEither<StorageFault, AggregateRow | null>;
}

/** The tsyringe token every storage backend registers under. */
export const HYPERVISOR_STORAGE: InjectionToken<HypervisorStorage> = Symbol.for('os-hypervisors:HypervisorStorage');
