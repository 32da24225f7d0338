import type { NodePageQuery, NodeWithService, Visibility } from '@os-hypervisors/core';
import type { Kysely } from 'kysely';
import type { OshDatabase } from '../schema/tables.js';
import { hostnameContains } from './hostname-pattern.js';
import { SERVICE_SELECTION, toNodeWithService, type ServiceSelection } from './row-mapping.js';
import { projectCanSee } from './visibility.js';

/** The binary Nova's hypervisors API joins nodes to. */
const COMPUTE_BINARY = 'nova-compute';

/**
 * Live nodes the visibility allows, each left-joined to the live nova-compute service on its host
 * (Nova's service_get_by_compute_host; services are unique by host and binary, so at most one).
 */
const visibleNodes = (db: Kysely<OshDatabase>, visibility: Visibility) => {
  const query = db
    .selectFrom('compute_nodes as n')
    .leftJoin('services as s', (join) =>
      join.onRef('s.host', '=', 'n.host').on('s.binary', '=', COMPUTE_BINARY).on('s.deleted', '=', 0),
    )
    .selectAll('n')
    .select(SERVICE_SELECTION)
    // kysely types a list of aliases as a union per column; each alias has its own column's type.
    .$castTo<OshDatabase['compute_nodes'] & ServiceSelection>()
    .where('n.deleted', '=', 0);
  return visibility.kind === 'all' ? query : query.where(projectCanSee(visibility));
};

/** One query: keyset paging on `compute_nodes.id`. */
export const listNodes = async (db: Kysely<OshDatabase>, page: NodePageQuery): Promise<NodeWithService[]> => {
  if (page.limit !== undefined && page.limit <= 0) return [];
  let query = visibleNodes(db, page.visibility).orderBy('n.id');
  if (page.afterId !== undefined) query = query.where('n.id', '>', page.afterId);
  if (page.limit !== undefined) query = query.limit(page.limit);
  return (await query.execute()).map(toNodeWithService);
};

/** One query. */
export const findNodeById = async (db: Kysely<OshDatabase>, id: number, visibility: Visibility): Promise<NodeWithService | null> => {
  const row = await visibleNodes(db, visibility).where('n.id', '=', id).executeTakeFirst();
  return row === undefined ? null : toNodeWithService(row);
};

/** One query. Live node uuids are unique (the importer refuses repeats), so no tie-break is needed. */
export const findNodeByUuid = async (db: Kysely<OshDatabase>, uuid: string, visibility: Visibility): Promise<NodeWithService | null> => {
  const row = await visibleNodes(db, visibility).where('n.uuid', '=', uuid).executeTakeFirst();
  return row === undefined ? null : toNodeWithService(row);
};

/** One query, in id order (Nova has no ORDER BY here; its natural order is the id's). */
export const searchNodes = async (db: Kysely<OshDatabase>, pattern: string, visibility: Visibility): Promise<NodeWithService[]> =>
  (await visibleNodes(db, visibility).where(hostnameContains(pattern)).orderBy('n.id').execute()).map(toNodeWithService);
