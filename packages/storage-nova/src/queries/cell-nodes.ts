import type { ComputeNodeRow, HypervisorStatistics, InstanceRow, ServiceRow } from '@os-hypervisors/core';
import { STATISTICS_KEYS } from '@os-hypervisors/core';
import { foldAsciiCase } from '@os-hypervisors/storage-memory';
import { fitsTextColumn, HOSTS_PER_QUERY, INTEGER_RANGE, LIKE_ESCAPE, likeContaining, toStatistics, type SqlDialectName } from '@os-hypervisors/storage-sql';
import { sql, type Expression, type ExpressionBuilder, type Kysely, type SqlBool } from 'kysely';
import type { NovaCellDatabase } from '../schema.js';
import type { HostFilter } from './host-filter.js';
import { isoTimestamp } from './timestamps.js';

/** The binary Nova's hypervisors API joins nodes to. */
export const COMPUTE_BINARY = 'nova-compute';

type CellDb = Kysely<NovaCellDatabase>;
type NodeScope = NovaCellDatabase & { n: NovaCellDatabase['compute_nodes'] };

const NODE_COLUMNS = [
  'id', 'uuid', 'host', 'hypervisor_hostname', 'hypervisor_type', 'hypervisor_version', 'host_ip', 'cpu_info', 'vcpus',
  'memory_mb', 'local_gb', 'vcpus_used', 'memory_mb_used', 'local_gb_used', 'free_ram_mb', 'free_disk_gb',
  'disk_available_least', 'running_vms', 'current_workload', 'service_id', 'stats', 'created_at', 'updated_at',
] as const satisfies ReadonlyArray<keyof NovaCellDatabase['compute_nodes']>;
const SERVICE_COLUMNS = [
  'id', 'uuid', 'host', 'binary', 'topic', 'disabled', 'disabled_reason', 'forced_down', 'last_seen_up', 'created_at',
  'updated_at', 'version', 'report_count',
] as const satisfies ReadonlyArray<keyof NovaCellDatabase['services']>;

type NodeColumns = Pick<NovaCellDatabase['compute_nodes'], (typeof NODE_COLUMNS)[number]>;
type Service = NovaCellDatabase['services'];
type ServiceColumns = Pick<Service, (typeof SERVICE_COLUMNS)[number]>;
type JoinedService = { [K in keyof ServiceColumns as `s_${K}`]: ServiceColumns[K] | null };
export type NodeRecord = NodeColumns & JoinedService;

/** A node row as the port hands it over, the service the cell's own join found, the host's uptime from `stats`. */
export interface CellNode {
  readonly node: ComputeNodeRow;
  readonly joinedService: ServiceRow | null;
  readonly statsUptime: string | null;
}

/** Nova master reads the host's uptime from the node's `stats` JSON before asking the host. */
const uptimeFromStats = (stats: string | null): string | null => {
  if (stats === null || stats === '') return null;
  try {
    const parsed: unknown = JSON.parse(stats);
    const uptime = typeof parsed === 'object' && parsed !== null ? (parsed as Record<string, unknown>).uptime : undefined;
    return typeof uptime === 'string' ? uptime : null;
  } catch {
    return null;
  }
};

export const toServiceRow = (row: ServiceColumns): ServiceRow => ({
  id: row.id, uuid: row.uuid, host: row.host ?? '', binary: row.binary ?? '', topic: row.topic,
  disabled: row.disabled === true || row.disabled === 1, disabled_reason: row.disabled_reason,
  forced_down: row.forced_down === true || row.forced_down === 1, last_seen_up: isoTimestamp(row.last_seen_up),
  created_at: isoTimestamp(row.created_at), updated_at: isoTimestamp(row.updated_at), version: row.version, report_count: row.report_count,
});

const toCellNode = (row: NodeRecord): CellNode => {
  const { stats, ...columns } = Object.fromEntries(NODE_COLUMNS.map((c) => [c, row[c]])) as unknown as NodeColumns;
  const node = { ...columns, created_at: isoTimestamp(columns.created_at), updated_at: isoTimestamp(columns.updated_at) };
  const joined = row.s_id === null ? null : toServiceRow(Object.fromEntries(SERVICE_COLUMNS.map((c) => [c, row[`s_${c}`]])) as unknown as ServiceColumns);
  return { node, joinedService: joined, statsUptime: uptimeFromStats(stats) };
};

/** The host filter as a predicate on `n.host`. Callers skip the query when nothing can pass. */
const hostPasses =
  (filter: NonNullable<HostFilter>) =>
  (eb: ExpressionBuilder<NodeScope, 'n'>): Expression<SqlBool> => {
    const granted = filter.granted.size === 0 ? sql<SqlBool>`1 = 0` : eb('n.host', 'in', [...filter.granted]);
    if (filter.restricted === null) return granted;
    const unrestricted = filter.restricted.size === 0 ? eb('n.host', 'is not', null) : eb.and([eb('n.host', 'is not', null), eb('n.host', 'not in', [...filter.restricted])]);
    return eb.or([granted, unrestricted]);
  };

/** Live nodes passing the filter, each left-joined to the live nova-compute service of its host in this cell. */
const visibleNodes = (db: CellDb, filter: HostFilter) => {
  const query = db
    .selectFrom('compute_nodes as n')
    .leftJoin('services as s', (join) => join.onRef('s.host', '=', 'n.host').on('s.binary', '=', COMPUTE_BINARY).on('s.deleted', '=', 0))
    .select(NODE_COLUMNS.map((c) => `n.${c}` as const))
    .select(SERVICE_COLUMNS.map((c) => `s.${c} as s_${c}` as const))
    .$castTo<NodeRecord>()
    .where('n.deleted', '=', 0);
  return filter === null ? query : query.where(hostPasses(filter));
};

/** One query: this cell's page, in id order (Nova's `get_by_pagination`: sort by id ascending). */
export const pageOfCell = async (db: CellDb, filter: HostFilter, afterId: number | undefined, limit: number | undefined): Promise<CellNode[]> => {
  if (afterId !== undefined && afterId >= INTEGER_RANGE.max) return [];
  let query = visibleNodes(db, filter).orderBy('n.id');
  if (afterId !== undefined && afterId >= INTEGER_RANGE.min) query = query.where('n.id', '>', Math.floor(afterId));
  if (limit !== undefined) query = query.limit(Math.min(limit, INTEGER_RANGE.max));
  return (await query.execute()).map(toCellNode);
};

/** One query. */
export const nodeOfCell = async (db: CellDb, filter: HostFilter, key: { id: number } | { uuid: string }): Promise<CellNode | null> => {
  const query = 'id' in key ? visibleNodes(db, filter).where('n.id', '=', key.id) : visibleNodes(db, filter).where('n.uuid', '=', key.uuid);
  const row = await query.orderBy('n.id').executeTakeFirst();
  return row === undefined ? null : toCellNode(row);
};

/**
 * A condition that selects at least every name containing the pattern without ASCII case (SQLite's LIKE
 * is exactly that; MySQL's case-insensitive collation and PostgreSQL's ILIKE fold more), refined in
 * code: Nova's schema has no folded column to compare exactly.
 */
const nameMayContain = (dialect: SqlDialectName, pattern: string) => {
  const like = likeContaining(pattern);
  const escape = sql.lit(LIKE_ESCAPE);
  const name = sql.ref('n.hypervisor_hostname');
  switch (dialect) {
    case 'sqlite':
      return sql<SqlBool>`${name} like ${like} escape ${escape}`;
    case 'postgres':
      return sql<SqlBool>`${name} ilike ${like} escape ${escape}`;
    case 'mysql':
      return sql<SqlBool>`convert(${name} using utf8mb4) collate utf8mb4_general_ci like ${like} escape ${escape}`;
  }
};

/** One query: nodes whose name contains the pattern (literal, ASCII case-insensitive), in id order. */
export const searchCell = async (db: CellDb, dialect: SqlDialectName, filter: HostFilter, pattern: string): Promise<CellNode[]> => {
  if (!fitsTextColumn(pattern)) return [];
  const rows = await visibleNodes(db, filter).where(nameMayContain(dialect, pattern)).orderBy('n.id').execute();
  const folded = foldAsciiCase(pattern);
  return rows.filter((r) => r.hypervisor_hostname !== null && foldAsciiCase(r.hypervisor_hostname).includes(folded)).map(toCellNode);
};

/** ceil(hosts / HOSTS_PER_QUERY) queries: the live nova-compute services of these hosts in this cell. */
export const servicesOfHosts = async (db: CellDb, hosts: ReadonlyArray<string>): Promise<Map<string, ServiceRow>> => {
  const found = new Map<string, ServiceRow>();
  for (let start = 0; start < hosts.length; start += HOSTS_PER_QUERY) {
    const rows = await db
      .selectFrom('services')
      .select(SERVICE_COLUMNS)
      .where('deleted', '=', 0)
      .where('binary', '=', COMPUTE_BINARY)
      .where('host', 'in', hosts.slice(start, start + HOSTS_PER_QUERY))
      .orderBy('id')
      .execute();
    // Nova's service_get_by_compute_host takes the first row.
    for (const row of rows) if (row.host !== null && !found.has(row.host)) found.set(row.host, toServiceRow(row));
  }
  return found;
};

/** ceil(hosts / HOSTS_PER_QUERY) queries: live instances per host, in id order. */
export const instancesOfHosts = async (db: CellDb, hosts: ReadonlyArray<string>, into: Map<string, InstanceRow[]>): Promise<void> => {
  for (let start = 0; start < hosts.length; start += HOSTS_PER_QUERY) {
    const rows = await db
      .selectFrom('instances')
      .select(['id', 'uuid', 'display_name', 'host', 'node', 'project_id', 'user_id', 'vm_state'])
      .where('deleted', '=', 0)
      .where('host', 'in', hosts.slice(start, start + HOSTS_PER_QUERY))
      .orderBy('id')
      .execute();
    for (const { host, ...instance } of rows) {
      const group = into.get(host!) ?? [];
      into.set(host!, group);
      group.push({ ...instance, host });
    }
  }
};

const SUMMED = STATISTICS_KEYS.filter((k) => k !== 'count');

/**
 * One query: Nova's `compute_node_statistics` in this cell. Nodes join enabled compute services on
 * `host` OR `service_id`; a node matching two services counts twice, as in Nova.
 */
export const statisticsOfCell = async (db: CellDb, filter: HostFilter): Promise<HypervisorStatistics> => {
  let query = db
    .selectFrom('compute_nodes as n')
    .innerJoin('services as s', (join) =>
      join
        .on((eb) => eb.or([eb('s.host', '=', eb.ref('n.host')), eb('s.id', '=', eb.ref('n.service_id'))]))
        .on(sql<SqlBool>`${sql.ref('s.disabled')} = ${sql`false`}`)
        .on('s.binary', '=', COMPUTE_BINARY)
        .on('s.deleted', '=', 0),
    )
    .select((eb) => [eb.fn.countAll().as('count'), ...SUMMED.map((k) => sql<number>`coalesce(sum(${sql.ref(`n.${k}`)}), 0)`.as(k))])
    .where('n.deleted', '=', 0);
  if (filter !== null) query = query.where(hostPasses(filter));
  return toStatistics(await query.executeTakeFirst());
};
