import { isTenantRestricted, projectVisibleHosts, TENANT_KEY_PREFIX, type AggregateRow, type Visibility } from '@os-hypervisors/core';
import type { Kysely } from 'kysely';
import type { NovaApiDatabase } from '../schema.js';

/**
 * The core's `projectVisibleHosts` for a project, as data a cell query can apply to `compute_nodes.host`
 * (the aggregates live in the API database, the nodes in the cells: no join can cross them).
 * `null` means no restriction (`all`).
 */
export type HostFilter =
  | null
  | {
      /** Hosts in a tenant-restricted aggregate that grants the project. */
      readonly granted: ReadonlySet<string>;
      /** With `includeUnrestricted`: hosts in any tenant-restricted aggregate (the others are visible too). */
      readonly restricted: ReadonlySet<string> | null;
    };

/** True when no node can pass the filter, so the cells need not be asked. */
export const seesNothing = (filter: HostFilter): boolean => filter !== null && filter.restricted === null && filter.granted.size === 0;

/**
 * One query on the API database: the hosts and `filter_tenant_id*` metadata of every aggregate having
 * such a key. LIKE only narrows the rows (it ignores case on MySQL and SQLite, and `_` is a wildcard);
 * the prefix is then tested exactly, with the core's own rules.
 */
export const hostFilterFor = async (api: Kysely<NovaApiDatabase>, visibility: Visibility): Promise<HostFilter> => {
  if (visibility.kind === 'all') return null;
  const rows = await api
    .selectFrom('aggregate_metadata as m')
    .innerJoin('aggregates as a', 'a.id', 'm.aggregate_id')
    .leftJoin('aggregate_hosts as h', 'h.aggregate_id', 'a.id')
    .select(['a.id as aggregate_id', 'm.key', 'm.value', 'h.host'])
    .where('m.key', 'like', `${TENANT_KEY_PREFIX}%`)
    .execute();
  const byAggregate = new Map<number, { metadata: Record<string, string>; hosts: Set<string> }>();
  for (const row of rows) {
    if (!row.key.startsWith(TENANT_KEY_PREFIX)) continue;
    const entry = byAggregate.get(row.aggregate_id) ?? { metadata: {}, hosts: new Set<string>() };
    byAggregate.set(row.aggregate_id, entry);
    entry.metadata[row.key] = row.value;
    if (row.host != null) entry.hosts.add(row.host);
  }
  const aggregates: AggregateRow[] = [...byAggregate].map(([id, a]) => ({ id, name: '', metadata: a.metadata, hosts: [...a.hosts] }));
  const granted = projectVisibleHosts({ ...visibility, includeUnrestricted: false }, aggregates) ?? new Set<string>();
  if (!visibility.includeUnrestricted) return { granted, restricted: null };
  return { granted, restricted: new Set(aggregates.filter(isTenantRestricted).flatMap((a) => a.hosts ?? [])) };
};
