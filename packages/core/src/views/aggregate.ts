import type { PyJson } from '../json/py-json.js';
import { type ApiVersion, compareVersions, mv } from '../microversion/version.js';
import type { AggregateRow } from '../model/dataset.js';

const AGGREGATE_UUID = mv('2.41');

/**
 * nova/api/openstack/compute/aggregates.py `_marshall_aggregate`: the object's fields in field order
 * (`uuid` only from 2.41), then `availability_zone`, which mirrors the metadata key of that name.
 */
export const buildAggregate = (version: ApiVersion, a: AggregateRow): Record<string, PyJson> => {
  const view: Record<string, PyJson> = { id: a.id };
  if (compareVersions(version, AGGREGATE_UUID) >= 0) view.uuid = a.uuid ?? null;
  view.name = a.name;
  view.hosts = [...(a.hosts ?? [])];
  view.metadata = { ...(a.metadata ?? {}) };
  view.created_at = a.created_at ?? null;
  view.updated_at = a.updated_at ?? null;
  view.deleted_at = a.deleted_at ?? null;
  view.deleted = false;
  view.availability_zone = a.metadata?.availability_zone ?? a.availability_zone ?? null;
  return view;
};
