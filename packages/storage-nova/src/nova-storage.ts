import type {
  AggregateRow,
  HypervisorStatistics,
  HypervisorStorage,
  InstanceRow,
  NodePageQuery,
  NodeWithService,
  ServiceRow,
  StorageFault,
  Visibility,
} from '@os-hypervisors/core';
import { STATISTICS_KEYS } from '@os-hypervisors/core';
import { classifyFault, fitsIntegerColumn, fitsTextColumn, type QueryCounter } from '@os-hypervisors/storage-sql';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { tryCatch } from 'fp-ts/lib/TaskEither.js';
import type { Kysely } from 'kysely';
import type { Cell, CellDirectory } from './cells.js';
import { redactSecrets } from './config/sqlalchemy-url.js';
import * as aggregates from './queries/aggregates.js';
import { instancesOfHosts, nodeOfCell, pageOfCell, searchCell, servicesOfHosts, statisticsOfCell, type CellNode } from './queries/cell-nodes.js';
import { hostFilterFor, seesNothing, type HostFilter } from './queries/host-filter.js';
import { cellIdsOfHosts } from './queries/host-mappings.js';
import type { NovaApiDatabase, NovaCellDatabase } from './schema.js';

interface Found {
  readonly cell: Cell;
  readonly found: CellNode;
}

type OpenCell = Cell & { readonly db: Kysely<NovaCellDatabase> };

/** A cell whose URL cannot be used is a configuration fault of every call that needs it (500, never a partial answer). */
const open = (cell: Cell): OpenCell => {
  if (cell.db === null) throw new Error(cell.problem ?? `cell ${cell.uuid} cannot be opened`);
  return cell as OpenCell;
};

/**
 * The storage port over a running Nova's own databases: the API database (cells, host mappings,
 * aggregates) and every cell's database (nodes, services, instances), read on every call, nothing
 * copied. Cells are walked as Nova's HostAPI walks them (mapping id order, cell0 skipped); a node's
 * service and instances come from the cell its host is mapped to, as `target_host_cell` does. Any
 * database that a call needs and cannot reach fails the whole call: Nova's hypervisor calls do not
 * scatter-gather, so a down cell is an error there too, never a silently shorter list.
 */
export class NovaStorage implements HypervisorStorage {
  constructor(
    readonly api: Kysely<NovaApiDatabase>,
    /** Statements sent to the API database. */
    readonly apiQueries: QueryCounter,
    readonly cells: CellDirectory,
    /** Connection strings whose passwords must never appear in a fault message. */
    private readonly secrets: ReadonlyArray<string>,
  ) {}

  listNodes(query: NodePageQuery): TaskEither<StorageFault, ReadonlyArray<NodeWithService>> {
    return this.run(async () => {
      const { afterId, afterCell, limit } = query;
      if (limit !== undefined && limit <= 0) return [];
      const [cells, filter] = await this.cellsAndFilter(query.visibility);
      if (seesNothing(filter)) return [];
      // Nova's compute_node_get_all: the marker's cell first (after the marker), then every later cell.
      const first = afterCell === undefined ? 0 : cells.findIndex((c) => c.uuid === afterCell);
      if (first < 0) return [];
      const found: Found[] = [];
      let remaining = limit;
      for (let i = first; i < cells.length; i++) {
        const cell = open(cells[i]!);
        const after = afterCell === undefined || i === first ? afterId : undefined;
        const page = await pageOfCell(cell.db, filter, after, remaining);
        for (const n of page) found.push({ cell, found: n });
        if (remaining !== undefined) {
          remaining -= page.length;
          if (remaining <= 0) break;
        }
      }
      return this.withServices(found, cells);
    });
  }

  findNodeById(id: number, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null> {
    return this.run(async () => (fitsIntegerColumn(id) ? this.findFirst({ id }, visibility) : null));
  }

  findNodeByUuid(uuid: string, visibility: Visibility): TaskEither<StorageFault, NodeWithService | null> {
    return this.run(async () => (fitsTextColumn(uuid) ? this.findFirst({ uuid }, visibility) : null));
  }

  searchNodes(pattern: string, visibility: Visibility): TaskEither<StorageFault, ReadonlyArray<NodeWithService>> {
    return this.run(async () => {
      const [cells, filter] = await this.cellsAndFilter(visibility);
      if (seesNothing(filter)) return [];
      const perCell = await Promise.all(cells.map(open).map(async (cell) => (await searchCell(cell.db, cell.dialect!, filter, pattern)).map((found) => ({ cell, found }))));
      return this.withServices(perCell.flat(), cells);
    });
  }

  instancesByHosts(hosts: ReadonlyArray<string>): TaskEither<StorageFault, ReadonlyMap<string, ReadonlyArray<InstanceRow>>> {
    return this.run(async () => {
      const byHost = new Map<string, InstanceRow[]>();
      if (hosts.length === 0) return byHost;
      const [cells, mapped] = await Promise.all([this.cells.cells(), cellIdsOfHosts(this.api, hosts)]);
      // Nova's instance_get_all_by_host targets the host's cell; an unmapped host has none to show.
      const hostsByCell = new Map<number, string[]>();
      for (const [host, cellId] of mapped) hostsByCell.set(cellId, [...(hostsByCell.get(cellId) ?? []), host]);
      const perCell = await Promise.all(
        cells
          .filter((c) => hostsByCell.has(c.id))
          .map(async (cell) => {
            const into = new Map<string, InstanceRow[]>();
            await instancesOfHosts(open(cell).db, hostsByCell.get(cell.id)!, into);
            return into;
          }),
      );
      for (const part of perCell) for (const [host, rows] of part) byHost.set(host, rows);
      return byHost;
    });
  }

  statistics(visibility: Visibility): TaskEither<StorageFault, HypervisorStatistics> {
    return this.run(async () => {
      const [cells, filter] = await this.cellsAndFilter(visibility);
      const zero = Object.fromEntries(STATISTICS_KEYS.map((k) => [k, 0])) as unknown as HypervisorStatistics;
      if (seesNothing(filter)) return zero;
      // Nova sums each cell's compute_node_statistics key by key.
      const perCell = await Promise.all(cells.map((c) => statisticsOfCell(open(c).db, filter)));
      return perCell.reduce(
        (sum, stats) => Object.fromEntries(STATISTICS_KEYS.map((k) => [k, sum[k] + stats[k]])) as unknown as HypervisorStatistics,
        zero,
      );
    });
  }

  listAggregates(): TaskEither<StorageFault, ReadonlyArray<AggregateRow>> {
    return this.run(() => aggregates.listAggregates(this.api));
  }

  findAggregate(id: number): TaskEither<StorageFault, AggregateRow | null> {
    return this.run(() => aggregates.findAggregate(this.api, id));
  }

  /** Statements sent so far: to the API database, and to each cell database (by redacted URL). */
  queryCounts(): { readonly api: number; readonly cells: ReadonlyMap<string, number> } {
    return { api: this.apiQueries.count, cells: this.cells.queryCounts() };
  }

  resetQueryCounts(): void {
    this.apiQueries.reset();
    this.cells.resetQueryCounts();
  }

  /** Closes every pool. */
  async close(): Promise<void> {
    await Promise.all([this.cells.close(), this.api.destroy()]);
  }

  private async cellsAndFilter(visibility: Visibility): Promise<[Cell[], HostFilter]> {
    return Promise.all([this.cells.cells(), hostFilterFor(this.api, visibility)]);
  }

  /** Nova's compute_node_get: the first cell, in order, holding the node. One query per cell asked. */
  private async findFirst(key: { id: number } | { uuid: string }, visibility: Visibility): Promise<NodeWithService | null> {
    const [cells, filter] = await this.cellsAndFilter(visibility);
    if (seesNothing(filter)) return null;
    for (const cell of cells) {
      const hit = await nodeOfCell(open(cell).db, filter, key);
      if (hit !== null) return (await this.withServices([{ cell, found: hit }], cells))[0]!;
    }
    return null;
  }

  /**
   * Each node's service as Nova's `service_get_by_compute_host` finds it: in the cell the host is mapped
   * to (usually the node's own, whose service the node query already joined). One API query for the
   * mappings, and one per other cell that holds some of the page's services.
   */
  private async withServices(found: ReadonlyArray<Found>, cells: ReadonlyArray<Cell>): Promise<NodeWithService[]> {
    if (found.length === 0) return [];
    const hosts = found.flatMap((f) => (f.found.node.host == null ? [] : [f.found.node.host]));
    const mapped = await cellIdsOfHosts(this.api, hosts);
    const elsewhere = new Map<number, Set<string>>();
    for (const { cell, found: n } of found) {
      const cellId = n.node.host == null ? undefined : mapped.get(n.node.host);
      if (cellId !== undefined && cellId !== cell.id) elsewhere.set(cellId, (elsewhere.get(cellId) ?? new Set()).add(n.node.host!));
    }
    const foreign = new Map<number, Map<string, ServiceRow>>();
    await Promise.all(
      [...elsewhere].map(async ([cellId, hostsThere]) => {
        const cell = cells.find((c) => c.id === cellId);
        // A host mapped to cell0 or to a mapping that is gone has no service there (ComputeHostNotFound).
        foreign.set(cellId, cell === undefined ? new Map() : await servicesOfHosts(open(cell).db, [...hostsThere]));
      }),
    );
    return found.map(({ cell, found: n }) => {
      const host = n.node.host;
      const cellId = host == null ? undefined : mapped.get(host);
      const base = { node: n.node, cell: cell.uuid };
      if (cellId === undefined) return { ...base, service: null, hostUnmapped: true };
      const service = cellId === cell.id ? n.joinedService : (foreign.get(cellId)?.get(host!) ?? null);
      return { ...base, service: service === null || n.statsUptime === null ? service : { ...service, uptime: n.statsUptime } };
    });
  }

  private run<A>(work: () => Promise<A>): TaskEither<StorageFault, A> {
    return tryCatch(work, (error) => {
      const fault = classifyFault(error);
      return { ...fault, message: redactSecrets(fault.message, [...this.secrets, ...this.cells.urls]) };
    });
  }
}
