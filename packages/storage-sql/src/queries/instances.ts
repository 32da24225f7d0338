import type { InstanceRow } from '@os-hypervisors/core';
import type { Kysely } from 'kysely';
import { fitsTextColumn } from '../schema/columns.js';
import type { OshDatabase } from '../schema/tables.js';
import { toInstanceRow } from './row-mapping.js';

/** One query for all hosts (none for no hosts): a page of servers never costs a query per host. */
export const instancesByHosts = async (db: Kysely<OshDatabase>, hosts: ReadonlyArray<string>): Promise<Map<string, InstanceRow[]>> => {
  const byHost = new Map<string, InstanceRow[]>();
  const wanted = [...new Set(hosts)].filter(fitsTextColumn);
  if (wanted.length === 0) return byHost;
  const rows = await db
    .selectFrom('instances')
    .selectAll()
    .where('deleted', '=', 0)
    .where('host', 'in', wanted)
    .orderBy('id')
    .execute();
  for (const row of rows) {
    const host = row.host!;
    const group = byHost.get(host);
    if (group === undefined) byHost.set(host, [toInstanceRow(row)]);
    else group.push(toInstanceRow(row));
  }
  return byHost;
};
