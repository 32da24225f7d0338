import type { InstanceRow } from '@os-hypervisors/core';
import type { Kysely } from 'kysely';
import { fitsTextColumn } from '../schema/columns.js';
import type { OshDatabase } from '../schema/tables.js';
import { toInstanceRow } from './row-mapping.js';

/**
 * Hosts per query: one bound parameter each, and SQLite allows 32,766 per statement, PostgreSQL 65,535.
 * 500 keeps a page at Nova's default `max_limit` (1,000) to two queries.
 */
export const HOSTS_PER_QUERY = 500;

/**
 * ceil(distinct hosts / HOSTS_PER_QUERY) queries (none for no hosts): a page of servers never costs a
 * query per host, and no list of hosts is too long for the database. Each host's rows are in id order.
 */
export const instancesByHosts = async (db: Kysely<OshDatabase>, hosts: ReadonlyArray<string>): Promise<Map<string, InstanceRow[]>> => {
  const byHost = new Map<string, InstanceRow[]>();
  const wanted = [...new Set(hosts)].filter(fitsTextColumn);
  for (let start = 0; start < wanted.length; start += HOSTS_PER_QUERY) {
    const rows = await db
      .selectFrom('instances')
      .selectAll()
      .where('deleted', '=', 0)
      .where('host', 'in', wanted.slice(start, start + HOSTS_PER_QUERY))
      .orderBy('id')
      .execute();
    for (const row of rows) {
      const host = row.host!;
      const group = byHost.get(host);
      if (group === undefined) byHost.set(host, [toInstanceRow(row)]);
      else group.push(toInstanceRow(row));
    }
  }
  return byHost;
};
