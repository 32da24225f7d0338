import type { AggregateRow } from '@os-hypervisors/core';
import { fitsIntegerColumn, groupByAggregate as grouped } from '@os-hypervisors/storage-sql';
import type { Kysely } from 'kysely';
import type { NovaApiDatabase } from '../schema.js';
import { isoTimestamp } from './timestamps.js';

/**
 * Three queries on the API database whatever the number of aggregates: the rows, their hosts, their
 * metadata, each in id order (Nova's relationships load in the table's order). The API database deletes
 * aggregates outright, so every row is live; the availability zone is the metadata key of that name.
 */
const aggregates = async (api: Kysely<NovaApiDatabase>, id?: number): Promise<AggregateRow[]> => {
  const rows = await api
    .selectFrom('aggregates')
    .select(['id', 'uuid', 'name', 'created_at', 'updated_at'])
    .$if(id !== undefined, (q) => q.where('id', '=', id!))
    .orderBy('id')
    .execute();
  if (rows.length === 0) return [];
  const [hosts, metadata] = await Promise.all([
    api.selectFrom('aggregate_hosts').select(['aggregate_id', 'host']).$if(id !== undefined, (q) => q.where('aggregate_id', '=', id!)).orderBy('id').execute(),
    api.selectFrom('aggregate_metadata').select(['aggregate_id', 'key', 'value']).$if(id !== undefined, (q) => q.where('aggregate_id', '=', id!)).orderBy('id').execute(),
  ]);
  const hostsOf = grouped(hosts, (h) => h.host);
  const metadataOf = grouped(metadata, (m) => [m.key, m.value] as const);
  return rows.map((a) => {
    const meta = Object.fromEntries(metadataOf.get(a.id) ?? []);
    return {
      id: a.id, uuid: a.uuid, name: a.name ?? '', availability_zone: meta.availability_zone ?? null,
      hosts: (hostsOf.get(a.id) ?? []).filter((h): h is string => h !== null), metadata: meta,
      created_at: isoTimestamp(a.created_at), updated_at: isoTimestamp(a.updated_at), deleted_at: null,
    };
  });
};

export const listAggregates = (api: Kysely<NovaApiDatabase>): Promise<AggregateRow[]> => aggregates(api);

export const findAggregate = async (api: Kysely<NovaApiDatabase>, id: number): Promise<AggregateRow | null> =>
  fitsIntegerColumn(id) ? ((await aggregates(api, id))[0] ?? null) : null;
