import { fitsTextColumn, HOSTS_PER_QUERY } from '@os-hypervisors/storage-sql';
import type { Kysely } from 'kysely';
import type { NovaApiDatabase } from '../schema.js';

/** ceil(hosts / HOSTS_PER_QUERY) queries on the API database: host -> `cell_mappings.id` (Nova's HostMapping.get_by_host). */
export const cellIdsOfHosts = async (api: Kysely<NovaApiDatabase>, hosts: Iterable<string>): Promise<Map<string, number>> => {
  const wanted = [...new Set(hosts)].filter(fitsTextColumn);
  const found = new Map<string, number>();
  for (let start = 0; start < wanted.length; start += HOSTS_PER_QUERY) {
    const rows = await api
      .selectFrom('host_mappings')
      .select(['host', 'cell_id'])
      .where('host', 'in', wanted.slice(start, start + HOSTS_PER_QUERY))
      .execute();
    for (const row of rows) found.set(row.host, row.cell_id);
  }
  return found;
};
