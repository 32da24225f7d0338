import type { AggregateRow } from '@os-hypervisors/core';
import type { Kysely } from 'kysely';
import { fitsIntegerColumn } from '../schema/columns.js';
import type { OshDatabase } from '../schema/tables.js';
import { toAggregateRow } from './row-mapping.js';

/** Rows grouped by `aggregate_id`, each group in row order. */
export const groupByAggregate = <R extends { aggregate_id: number }, V>(rows: ReadonlyArray<R>, value: (row: R) => V): Map<number, V[]> => {
  const groups = new Map<number, V[]>();
  for (const row of rows) {
    const group = groups.get(row.aggregate_id);
    if (group === undefined) groups.set(row.aggregate_id, [value(row)]);
    else group.push(value(row));
  }
  return groups;
};

/**
 * Three queries whatever the number of aggregates: the rows, their hosts, their metadata (one join would
 * multiply hosts by metadata keys). `position` restores the dataset's order.
 */
const liveAggregates = async (db: Kysely<OshDatabase>, id?: number): Promise<AggregateRow[]> => {
  const aggregates = await db
    .selectFrom('aggregates as a')
    .selectAll('a')
    .where('a.deleted', '=', 0)
    .$if(id !== undefined, (q) => q.where('a.id', '=', id!))
    .orderBy('a.id')
    .execute();
  if (aggregates.length === 0) return [];
  const [hosts, metadata] = await Promise.all([
    db
      .selectFrom('aggregate_hosts as h')
      .innerJoin('aggregates as a', 'a.id', 'h.aggregate_id')
      .select(['h.aggregate_id', 'h.host'])
      .where('a.deleted', '=', 0)
      .$if(id !== undefined, (q) => q.where('a.id', '=', id!))
      .orderBy('h.aggregate_id')
      .orderBy('h.position')
      .execute(),
    db
      .selectFrom('aggregate_metadata as m')
      .innerJoin('aggregates as a', 'a.id', 'm.aggregate_id')
      .select(['m.aggregate_id', 'm.key', 'm.value'])
      .where('a.deleted', '=', 0)
      .$if(id !== undefined, (q) => q.where('a.id', '=', id!))
      .orderBy('m.aggregate_id')
      .orderBy('m.position')
      .execute(),
  ]);
  const hostsOf = groupByAggregate(hosts, (h) => h.host);
  const metadataOf = groupByAggregate(metadata, (m) => [m.key, m.value] as const);
  return aggregates.map((a) => toAggregateRow(a, hostsOf.get(a.id) ?? [], metadataOf.get(a.id) ?? []));
};

export const listAggregates = (db: Kysely<OshDatabase>): Promise<AggregateRow[]> => liveAggregates(db);

export const findAggregate = async (db: Kysely<OshDatabase>, id: number): Promise<AggregateRow | null> =>
  fitsIntegerColumn(id) ? ((await liveAggregates(db, id))[0] ?? null) : null;
