import type { AggregateRow } from './dataset.js';
import { isLive } from './dataset.js';

/**
 * Which hypervisors a request may see. `all` for grants through a system-wide branch; `project` when
 * policy granted access only through a project-scoped branch (spec: SYSTEM_READER_OR_PROJECT_ADMIN).
 */
export type Visibility =
  | { readonly kind: 'all' }
  | {
      readonly kind: 'project';
      readonly projectId: string;
      /** Also show hosts in no tenant-restricted aggregate (the scheduler filter lets the project land there). */
      readonly includeUnrestricted: boolean;
    };

export const ALL_VISIBLE: Visibility = { kind: 'all' };

/** Aggregate metadata keys that carry tenant grants: `filter_tenant_id` and any `filter_tenant_id*`. */
export const TENANT_KEY_PREFIX = 'filter_tenant_id';

/** The projects one `filter_tenant_id*` value lists: split on `,`, trimmed, empties dropped (as Nova splits). */
export const tenantIds = (value: string): string[] => value.split(',').map((part) => part.trim()).filter((id) => id !== '');

/** Projects an aggregate grants: every `filter_tenant_id*` value's `tenantIds`. */
export const aggregateTenants = (aggregate: Pick<AggregateRow, 'metadata'>): ReadonlySet<string> => {
  const tenants = new Set<string>();
  for (const [key, value] of Object.entries(aggregate.metadata ?? {})) {
    if (key.startsWith(TENANT_KEY_PREFIX)) for (const id of tenantIds(value)) tenants.add(id);
  }
  return tenants;
};

export const isTenantRestricted = (aggregate: Pick<AggregateRow, 'metadata'>): boolean =>
  Object.keys(aggregate.metadata ?? {}).some((k) => k.startsWith(TENANT_KEY_PREFIX));

/**
 * The hosts a project may see, computed once per request in O(hosts + aggregates).
 * Returns null for `all` (no restriction).
 */
export const projectVisibleHosts = (
  visibility: Visibility,
  aggregates: ReadonlyArray<AggregateRow>,
  allHosts: Iterable<string> = [],
): ReadonlySet<string> | null => {
  if (visibility.kind === 'all') return null;
  const granted = new Set<string>();
  const restricted = new Set<string>();
  for (const aggregate of aggregates) {
    if (!isLive(aggregate) || !isTenantRestricted(aggregate)) continue;
    const hosts = aggregate.hosts ?? [];
    for (const h of hosts) restricted.add(h);
    if (aggregateTenants(aggregate).has(visibility.projectId)) for (const h of hosts) granted.add(h);
  }
  if (visibility.includeUnrestricted) {
    for (const h of allHosts) if (!restricted.has(h)) granted.add(h);
  }
  return granted;
};

/** Whether one host is visible, for code paths holding a single row. */
export const isHostVisible = (
  visibility: Visibility,
  aggregates: ReadonlyArray<AggregateRow>,
  host: string | null | undefined,
): boolean => {
  if (visibility.kind === 'all') return true;
  if (host == null) return false;
  const hosts = projectVisibleHosts(visibility, aggregates, [host]);
  return hosts !== null && hosts.has(host);
};
