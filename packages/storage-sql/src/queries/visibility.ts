import { TENANT_KEY_PREFIX, type Visibility } from '@os-hypervisors/core';
import { sql, type Expression, type ExpressionBuilder, type SqlBool } from 'kysely';
import type { OshDatabase } from '../schema/tables.js';

/** Queries over compute nodes alias the table `n`. */
export type NodeScope = OshDatabase & { n: OshDatabase['compute_nodes'] };
type ProjectVisibility = Extract<Visibility, { kind: 'project' }>;

/** Live aggregates holding the node's host. */
const aggregatesOfNodeHost = (eb: ExpressionBuilder<NodeScope, 'n'>) =>
  eb
    .selectFrom('aggregate_hosts as ah')
    .innerJoin('aggregates as a', 'a.id', 'ah.aggregate_id')
    .whereRef('ah.host', '=', 'n.host')
    .where('a.deleted', '=', 0);

/**
 * The core's `projectVisibleHosts` as a predicate on `n.host`: the host is in a live aggregate whose
 * `filter_tenant_id*` metadata lists the project (the importer splits those lists into
 * `aggregate_tenants`), or — when unrestricted hosts are shown — in no live aggregate having such a key.
 */
export const projectCanSee =
  (visibility: ProjectVisibility) =>
  (eb: ExpressionBuilder<NodeScope, 'n'>): Expression<SqlBool> => {
    const granted = eb.exists(
      aggregatesOfNodeHost(eb)
        .innerJoin('aggregate_tenants as t', 't.aggregate_id', 'a.id')
        .select(sql.lit(1).as('granted'))
        .where('t.project_id', '=', visibility.projectId),
    );
    if (!visibility.includeUnrestricted) return granted;
    // A prefix test by equality: LIKE would ignore case on SQLite, and the core's startsWith does not.
    const restricted = eb.exists(
      aggregatesOfNodeHost(eb)
        .innerJoin('aggregate_metadata as m', 'm.aggregate_id', 'a.id')
        .select(sql.lit(1).as('restricted'))
        .where(sql<string>`substr(${sql.ref('m.key')}, 1, ${sql.lit(TENANT_KEY_PREFIX.length)})`, '=', TENANT_KEY_PREFIX),
    );
    return eb.or([granted, eb.and([eb('n.host', 'is not', null), eb.not(restricted)])]);
  };
