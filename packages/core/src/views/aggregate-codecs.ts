import * as t from 'io-ts';
import { Uuid } from './hypervisor-codecs.js';

/** nova/api/openstack/compute/aggregates.py `_marshall_aggregate`: one aggregate, read-only view. */
const aggregateFields = {
  id: t.Int,
  name: t.string,
  hosts: t.array(t.string),
  metadata: t.record(t.string, t.string),
  created_at: t.union([t.string, t.null]),
  updated_at: t.union([t.string, t.null]),
  deleted_at: t.union([t.string, t.null]),
  deleted: t.boolean,
  availability_zone: t.union([t.string, t.null]),
};
export const AggregateV21 = t.type(aggregateFields);
/** 2.41+: `uuid` too. */
export const AggregateV241 = t.type({ ...aggregateFields, uuid: Uuid });
