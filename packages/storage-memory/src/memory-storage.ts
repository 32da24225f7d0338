import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { right } from 'fp-ts/lib/TaskEither.js';
import type {
  AggregateRow,
  Dataset,
  HypervisorStatistics,
  HypervisorStorage,
  InstanceRow,
  NodePageQuery,
  NodeWithService,
  StorageFault,
  Visibility,
} from '@os-hypervisors/core';
import { indexDataset, type DatasetIndex } from './dataset-index.js';
import { searchByHostname } from './hostname-search.js';
import { firstIndexAfter, isNodeVisible, visibleNodes, type VisibleNodes } from './visible-nodes.js';
import { computeStatistics } from './statistics.js';

/** Distinct (project, flag) visibilities remembered; bounded so many projects cannot grow memory without end. */
const VISIBILITY_CACHE_SIZE = 256;

/**
 * The storage port over an in-memory, immutable dataset. Everything is indexed at construction; the
 * nodes a project may see are computed once per project and remembered.
 */
export class MemoryStorage implements HypervisorStorage {
  private readonly index: DatasetIndex;
  private readonly visibleByProject = new Map<string, VisibleNodes>();

  constructor(dataset: Dataset) {
    this.index = indexDataset(dataset);
  }

  listNodes(query: NodePageQuery): TaskEither<StorageFault, ReadonlyArray<NodeWithService>> {
    const { nodes } = this.visible(query.visibility);
    const start = query.afterId === undefined ? 0 : firstIndexAfter(nodes, query.afterId);
    const end = query.limit === undefined ? nodes.length : start + Math.max(0, query.limit);
    return right(nodes.slice(start, end));
  }

  findNodeById(id: number, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null> {
    return right(this.ifVisible(this.index.nodeById.get(id), visibility));
  }

  findNodeByUuid(uuid: string, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null> {
    return right(this.ifVisible(this.index.nodeByUuid.get(uuid), visibility));
  }

  searchNodes(pattern: string, visibility: Visibility): TaskEither<StorageFault, ReadonlyArray<NodeWithService>> {
    return right(searchByHostname(this.index, this.visible(visibility), pattern));
  }

  instancesByHosts(hosts: ReadonlyArray<string>): TaskEither<StorageFault, ReadonlyMap<string, ReadonlyArray<InstanceRow>>> {
    const found = new Map<string, ReadonlyArray<InstanceRow>>();
    for (const host of hosts) {
      const instances = this.index.instancesByHost.get(host);
      if (instances !== undefined) found.set(host, instances);
    }
    return right(found);
  }

  statistics(visibility: Visibility): TaskEither<StorageFault, HypervisorStatistics> {
    return right(computeStatistics(this.index, this.visible(visibility).nodes));
  }

  listAggregates(): TaskEither<StorageFault, ReadonlyArray<AggregateRow>> {
    return right(this.index.aggregates);
  }

  findAggregate(id: number): TaskEither<StorageFault, AggregateRow | null> {
    return right(this.index.aggregateById.get(id) ?? null);
  }

  private ifVisible(node: NodeWithService | undefined, visibility: Visibility): NodeWithService | null {
    if (node === undefined) return null;
    return isNodeVisible(this.visible(visibility), node) ? node : null;
  }

  private visible(visibility: Visibility): VisibleNodes {
    if (visibility.kind === 'all') return { nodes: this.index.nodes, hosts: null };
    const key = `${visibility.includeUnrestricted ? '+' : '-'}${visibility.projectId}`;
    const cached = this.visibleByProject.get(key);
    if (cached !== undefined) return cached;
    const computed = visibleNodes(this.index, visibility);
    if (this.visibleByProject.size >= VISIBILITY_CACHE_SIZE) {
      // Forget the oldest entry (Map keeps insertion order).
      this.visibleByProject.delete(this.visibleByProject.keys().next().value!);
    }
    this.visibleByProject.set(key, computed);
    return computed;
  }
}
