import type { NodePageQuery, NodeWithService, Visibility } from '@os-hypervisors/core';
import type { Kysely } from 'kysely';
import { fitsIntegerColumn, fitsTextColumn, INTEGER_RANGE } from '../schema/columns.js';
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

/** One query: keyset paging on `compute_nodes.id`. Ids beyond the column's range are answered without asking (see fitsIntegerColumn). */
export const listNodes = async (db: Kysely<OshDatabase>, page: NodePageQuery): Promise<NodeWithService[]> => {
  const { afterId, limit } = page;
  if ((limit !== undefined && limit <= 0) || (afterId !== undefined && afterId >= INTEGER_RANGE.max)) return [];
  let query = visibleNodes(db, page.visibility).orderBy('n.id');
  if (afterId !== undefined && afterId >= INTEGER_RANGE.min) query = query.where('n.id', '>', Math.floor(afterId));
  if (limit !== undefined) query = query.limit(Math.min(limit, INTEGER_RANGE.max));
  return (await query.execute()).map(toNodeWithService);
};

/** One query. */
export const findNodeById = async (db: Kysely<OshDatabase>, id: number, visibility: Visibility): Promise<NodeWithService | null> => {
  if (!fitsIntegerColumn(id)) return null;
  const row = await visibleNodes(db, visibility).where('n.id', '=', id).executeTakeFirst();
  return row === undefined ? null : toNodeWithService(row);
};

/** One query. Live node uuids are unique (the importer refuses repeats), so no tie-break is needed. */
export const findNodeByUuid = async (db: Kysely<OshDatabase>, uuid: string, visibility: Visibility): Promise<NodeWithService | null> => {
  if (!fitsTextColumn(uuid)) return null;
  const row = await visibleNodes(db, visibility).where('n.uuid', '=', uuid).executeTakeFirst();
  return row === undefined ? null : toNodeWithService(row);
};

/** One query, in id order (Nova has no ORDER BY here; its natural order is the id's). */
export const searchNodes = async (db: Kysely<OshDatabase>, pattern: string, visibility: Visibility): Promise<NodeWithService[]> => {
  if (!fitsTextColumn(pattern)) return [];
  return (await visibleNodes(db, visibility).where(hostnameContains(pattern)).orderBy('n.id').execute()).map(toNodeWithService);
};
