import type { InjectionToken } from 'tsyringe';

/**
 * A cache shared by several replicas (Redis, memcached, …) for token validations, so one Keystone answer
 * serves them all. Keys are already hashed by the caller: a raw token never reaches the cache. Values are
 * opaque strings. A cache that fails answers `null` on `get` and ignores the `set` (the caller then asks
 * Keystone): a shared-cache outage costs speed, never an answer.
 */
export interface SharedTokenCache {
  get(key: string): Promise<string | null>;
  /** Stored for `ttlSeconds` (a whole number of seconds, at least 1). */
  set(key: string, value: string, ttlSeconds: number): Promise<void>;
  /** Releases connections. */
  close(): Promise<void>;
}

export const SHARED_TOKEN_CACHE: InjectionToken<SharedTokenCache> = Symbol.for('os-hypervisors:SharedTokenCache');
