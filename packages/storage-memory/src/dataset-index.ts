import type { AggregateRow, Dataset, InstanceRow, NodeWithService, ServiceRow } from '@os-hypervisors/core';
import { isLive } from '@os-hypervisors/core';
import { indexHostnameGrams, type HostnameGrams } from './hostname-grams.js';
import { foldAsciiCase } from './hostname-match.js';

/** The binary Nova's hypervisors API joins compute nodes to. */
export const COMPUTE_BINARY = 'nova-compute';

/** Lookup structures built once per (immutable) dataset, so no request scans whole tables. */
export interface DatasetIndex {
  /** Live nodes, each with its service, ascending by node id. */
  readonly nodes: ReadonlyArray<NodeWithService>;
  /** Each node's position in `nodes` (the search maps visible nodes back to the arrays parallel to `nodes`). */
  readonly nodePosition: ReadonlyMap<NodeWithService, number>;
  readonly nodeById: ReadonlyMap<number, NodeWithService>;
  readonly nodeByUuid: ReadonlyMap<string, NodeWithService>;
  /** Live nodes per `compute_nodes.host`, ascending by id (ironic puts several nodes on one host). */
  readonly nodesByHost: ReadonlyMap<string, ReadonlyArray<NodeWithService>>;
  /** Every live node's `hypervisor_hostname` folded for search (null stays null: it matches nothing), parallel to `nodes`. */
  readonly foldedHostnames: ReadonlyArray<string | null>;
  /** 1- to 3-character grams of `foldedHostnames` → node positions, so hostname search is not a scan. */
  readonly hostnameGrams: HostnameGrams;
  /** Live `nova-compute` services, by host and by id (statistics also matches on `service_id`). */
  readonly computeServiceByHost: ReadonlyMap<string, ServiceRow>;
  readonly computeServiceById: ReadonlyMap<number, ServiceRow>;
  /** Live aggregates ascending by id. */
  readonly aggregates: ReadonlyArray<AggregateRow>;
  readonly aggregateById: ReadonlyMap<number, AggregateRow>;
  /** Live instances per host, ascending by id. */
  readonly instancesByHost: ReadonlyMap<string, ReadonlyArray<InstanceRow>>;
}

const byId = <R extends { id: number }>(a: R, b: R): number => a.id - b.id;

const liveSorted = <R extends { id: number; deleted?: number | boolean }>(rows: ReadonlyArray<R>): R[] =>
  rows.filter(isLive).sort(byId);

const groupBy = <R>(rows: ReadonlyArray<R>, key: (row: R) => string | null | undefined): Map<string, R[]> => {
  const groups = new Map<string, R[]>();
  for (const row of rows) {
    const k = key(row);
    if (k == null) continue;
    const group = groups.get(k);
    if (group === undefined) groups.set(k, [row]);
    else group.push(row);
  }
  return groups;
};

/** First row per key wins: rows arrive sorted by id, so the lowest id is the one a database would pick. */
const firstBy = <R, K>(rows: ReadonlyArray<R>, key: (row: R) => K | null | undefined): Map<K, R> => {
  const map = new Map<K, R>();
  for (const row of rows) {
    const k = key(row);
    if (k != null && !map.has(k)) map.set(k, row);
  }
  return map;
};

export const indexDataset = (dataset: Dataset): DatasetIndex => {
  const services = liveSorted(dataset.services).filter((s) => s.binary === COMPUTE_BINARY);
  const computeServiceByHost = firstBy(services, (s) => s.host);
  // Nova's service_get_by_compute_host: the service is found by the node's host, not by service_id.
  const nodes: NodeWithService[] = liveSorted(dataset.compute_nodes).map((node) => ({
    node,
    service: node.host == null ? null : (computeServiceByHost.get(node.host) ?? null),
  }));
  const aggregates = liveSorted(dataset.aggregates);
  const foldedHostnames = nodes.map((n) => (n.node.hypervisor_hostname == null ? null : foldAsciiCase(n.node.hypervisor_hostname)));
  return {
    nodes,
    nodePosition: new Map(nodes.map((n, position) => [n, position])),
    nodeById: firstBy(nodes, (n) => n.node.id),
    nodeByUuid: firstBy(nodes, (n) => n.node.uuid),
    nodesByHost: groupBy(nodes, (n) => n.node.host),
    foldedHostnames,
    hostnameGrams: indexHostnameGrams(foldedHostnames),
    computeServiceByHost,
    computeServiceById: firstBy(services, (s) => s.id),
    aggregates,
    aggregateById: firstBy(aggregates, (a) => a.id),
    instancesByHost: groupBy(liveSorted(dataset.instances), (i) => i.host),
  };
};
