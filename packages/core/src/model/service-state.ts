import type { ServiceRow } from './dataset.js';
import { truthy } from './dataset.js';

/** Dataset timestamps are UTC without a zone (Nova's naive datetimes); JS would read them as local. */
export const parseUtcTimestamp = (text: string | null | undefined): number | null => {
  if (text == null || text === '') return null;
  const hasZone = /(Z|[+-]\d{2}:?\d{2})$/i.test(text);
  const ms = Date.parse(hasZone ? text : `${text.replace(' ', 'T')}Z`);
  return Number.isNaN(ms) ? null : ms;
};

/**
 * nova/servicegroup/api.py + drivers/db.py: forced down is down; otherwise up iff the last heartbeat
 * (`last_seen_up`, else `created_at`, never `updated_at`) is within `service_down_time` seconds of now,
 * in either direction.
 */
export const isServiceUp = (service: ServiceRow, now: Date, serviceDownTimeSeconds: number): boolean => {
  if (truthy(service.forced_down)) return false;
  const heartbeat = parseUtcTimestamp(service.last_seen_up) ?? parseUtcTimestamp(service.created_at);
  if (heartbeat === null) return false;
  return Math.abs(now.getTime() - heartbeat) / 1000 <= serviceDownTimeSeconds;
};

export const serviceStatus = (service: ServiceRow): 'enabled' | 'disabled' =>
  truthy(service.disabled) ? 'disabled' : 'enabled';
