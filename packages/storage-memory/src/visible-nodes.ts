import type { NodeWithService, Visibility } from '@os-hypervisors/core';
import { projectVisibleHosts } from '@os-hypervisors/core';
import type { DatasetIndex } from './dataset-index.js';

/** The part of the dataset one visibility sees. */
export interface VisibleNodes {
  /** Visible live nodes ascending by id (the `index.nodes` array itself for `all`). */
  readonly nodes: ReadonlyArray<NodeWithService>;
  /** null: every host is visible. */
  readonly hosts: ReadonlySet<string> | null;
}

export const isNodeVisible = (visible: VisibleNodes, node: NodeWithService): boolean =>
  visible.hosts === null || (node.node.host != null && visible.hosts.has(node.node.host));

/** Gathers the visible nodes host by host (not a scan of all nodes), then restores id order. */
export const visibleNodes = (index: DatasetIndex, visibility: Visibility): VisibleNodes => {
  const hosts = projectVisibleHosts(visibility, index.aggregates, index.nodesByHost.keys());
  if (hosts === null) return { nodes: index.nodes, hosts: null };
  const nodes: NodeWithService[] = [];
  for (const host of hosts) nodes.push(...(index.nodesByHost.get(host) ?? []));
  nodes.sort((a, b) => a.node.id - b.node.id);
  return { nodes, hosts };
};

/** Index of the first node whose id is strictly greater than `afterId` (binary search; nodes sorted by id). */
export const firstIndexAfter = (nodes: ReadonlyArray<NodeWithService>, afterId: number): number => {
  let low = 0;
  let high = nodes.length;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (nodes[mid]!.node.id <= afterId) low = mid + 1;
    else high = mid;
  }
  return low;
};
