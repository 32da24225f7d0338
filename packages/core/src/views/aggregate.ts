import type { PyJson } from '../json/py-json.js';
import { type ApiVersion, compareVersions, mv } from '../microversion/version.js';
import type { AggregateRow } from '../model/dataset.js';

const AGGREGATE_UUID = mv('2.41');

/** Nova prints aggregate timestamps with exactly six fraction digits (`2026-01-02T03:04:05.000000`). */
const novaTimestamp = (text: string | null | undefined): string | null => {
  if (text == null) return null;
  const m = /^(\d{4}-\d{2}-\d{2})[T ](\d{2}:\d{2}:\d{2})(?:\.(\d+))?(?:Z|[+-]00:?00)?$/.exec(text);
  return m === null ? text : `${m[1]}T${m[2]}.${(m[3] ?? '').padEnd(6, '0').slice(0, 6)}`;
};

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
  view.created_at = novaTimestamp(a.created_at);
  view.updated_at = novaTimestamp(a.updated_at);
  view.deleted_at = novaTimestamp(a.deleted_at);
  view.deleted = false;
  view.availability_zone = a.metadata?.availability_zone ?? a.availability_zone ?? null;
  return view;
};
