import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { fault, faults } from '../faults.js';
import { isLive } from '../model/dataset.js';
import { pythonInt } from '../model/identifiers.js';
import type { AggregateRow } from '../model/records.js';
import { aggregateTenants, projectVisibleHosts, TENANT_KEY_PREFIX, tenantIds } from '../model/visibility.js';
import { buildAggregate } from '../views/aggregate.js';
import { fromStorage, type OperationContext, type OperationResult } from './context.js';

/**
 * Tenant metadata as one project may read it: each `filter_tenant_id*` value names only that project,
 * and a key that does not list it is left out, so other projects' ids do not leak.
 */
const ownTenantMetadata = (metadata: AggregateRow['metadata'], projectId: string): AggregateRow['metadata'] => {
  if (metadata === undefined) return metadata;
  const kept: Record<string, string> = {};
  for (const [key, value] of Object.entries(metadata)) {
    if (!key.startsWith(TENANT_KEY_PREFIX)) kept[key] = value;
    else if (tenantIds(value).includes(projectId)) kept[key] = projectId;
  }
  return kept;
};

/**
 * A project-scoped grant sees only the aggregates that grant its project, in them only the hosts it
 * may see (aggregates must not reveal a hidden hypervisor's host) and only its own tenant entries.
 */
const visibleAggregates = (ctx: OperationContext, all: ReadonlyArray<AggregateRow>): AggregateRow[] => {
  const v = ctx.visibility;
  if (v.kind === 'all') return [...all];
  const hosts = projectVisibleHosts(v, all, all.flatMap((a) => a.hosts ?? [])) ?? new Set<string>();
  return all
    // Storage lists only live aggregates; checked again so a grant never rests on a deleted one.
    .filter((a) => isLive(a) && aggregateTenants(a).has(v.projectId))
    .map((a) => ({ ...a, hosts: (a.hosts ?? []).filter((h) => hosts.has(h)), metadata: ownTenantMetadata(a.metadata, v.projectId) }));
};

/** `GET /os-aggregates` (read-only, so `openstack hypervisor show` works against this server). */
export const listAggregates = async (ctx: OperationContext): Promise<OperationResult> => {
  const all = await fromStorage(ctx.storage.listAggregates());
  if (isLeft(all)) return all;
  return right({ aggregates: visibleAggregates(ctx, all.right).map((a) => buildAggregate(ctx.version, a)) });
};

/** `GET /os-aggregates/{id}`: integer ids only (`utils.validate_integer`), 404 when missing or hidden. */
export const showAggregate = async (ctx: OperationContext): Promise<OperationResult> => {
  const raw = ctx.param ?? '';
  const id = pythonInt(raw);
  if (id === null) return left(fault(400, 'Invalid input received: id must be an integer'));
  if (ctx.visibility.kind === 'all') {
    const found = await fromStorage(ctx.storage.findAggregate(id));
    if (isLeft(found)) return found;
    return found.right === null ? left(faults.aggregateNotFound(raw)) : right({ aggregate: buildAggregate(ctx.version, found.right) });
  }
  // Project-scoped: which aggregates and hosts show depends on all of them (one visibility set).
  const all = await fromStorage(ctx.storage.listAggregates());
  if (isLeft(all)) return all;
  const found = visibleAggregates(ctx, all.right).find((a) => a.id === id);
  return found === undefined ? left(faults.aggregateNotFound(raw)) : right({ aggregate: buildAggregate(ctx.version, found) });
};
