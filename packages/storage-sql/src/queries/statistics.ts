import type { HypervisorStatistics, Visibility } from '@os-hypervisors/core';
import { STATISTICS_KEYS } from '@os-hypervisors/core';
import { sql, type Kysely } from 'kysely';
import type { OshDatabase } from '../schema/tables.js';
import { toStatistics } from './row-mapping.js';
import { projectCanSee } from './visibility.js';

const SUMMED = STATISTICS_KEYS.filter((k) => k !== 'count');

/**
 * One query: Nova's `compute_node_statistics` (nova/db/main/api.py). Nodes join enabled compute services
 * on `host` OR `service_id`; it is a join, so a node matching two services counts twice, as in Nova.
 */
export const statistics = async (db: Kysely<OshDatabase>, visibility: Visibility): Promise<HypervisorStatistics> => {
  let query = db
    .selectFrom('compute_nodes as n')
    .innerJoin('services as s', (join) =>
      join
        .on((eb) => eb.or([eb('s.host', '=', eb.ref('n.host')), eb('s.id', '=', eb.ref('n.service_id'))]))
        .on('s.disabled', '=', 0)
        .on('s.binary', '=', 'nova-compute')
        .on('s.deleted', '=', 0),
    )
    .select((eb) => [
      eb.fn.countAll().as('count'),
      ...SUMMED.map((k) => sql<number>`coalesce(sum(${sql.ref(`n.${k}`)}), 0)`.as(k)),
    ])
    .where('n.deleted', '=', 0);
  if (visibility.kind === 'project') query = query.where(projectCanSee(visibility));
  return toStatistics(await query.executeTakeFirst());
};
