import { createClient } from '@redis/client';
import type { SharedTokenCache } from '@os-hypervisors/core';

export interface RedisTokenCacheOptions {
  /** `redis://[user:password@]host:port[/db]` or `rediss://…` for TLS. */
  readonly url: string;
  /** Prepended to every key, so several deployments can share one Redis (default `os-hypervisors:token:`). */
  readonly keyPrefix?: string;
  /** Longest wait for one Redis command; past it the cache counts as a miss (default 500 ms). */
  readonly commandTimeoutMs?: number;
}

/**
 * The core's `SharedTokenCache` over Redis: `SET key value EX ttl` and `GET key`. Keys arrive hashed (the
 * token's SHA-256), values hold an identity and never a token. Redis being down costs speed only: a failed
 * or slow command is a miss (`get` → null) or skipped (`set`), and the client reconnects in the background.
 */
export const redisTokenCache = async (options: RedisTokenCacheOptions): Promise<SharedTokenCache> => {
  const prefix = options.keyPrefix ?? 'os-hypervisors:token:';
  const timeout = options.commandTimeoutMs ?? 500;
  const client = createClient({
    url: options.url,
    // Commands fail at once while disconnected instead of queueing behind a reconnect.
    disableOfflineQueue: true,
    socket: { connectTimeout: timeout, reconnectStrategy: (retries) => Math.min(100 * 2 ** retries, 5000) },
  });
  // Without a listener an error event would crash the process; each failed command is handled where it is sent.
  client.on('error', () => undefined);
  const within = <T>(work: Promise<T>, fallback: T): Promise<T> => {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<T>((resolve) => { timer = setTimeout(() => resolve(fallback), timeout); });
    return Promise.race([work.catch(() => fallback), late]).finally(() => clearTimeout(timer));
  };
  // Up within the connect timeout, or later in the background: start-up never waits on a Redis that is down.
  await within(client.connect().then(() => undefined), undefined);
  return {
    get: (key) => within(client.get(prefix + key), null),
    set: async (key, value, ttlSeconds) => {
      await within(client.set(prefix + key, value, { expiration: { type: 'EX', value: Math.max(1, Math.ceil(ttlSeconds)) } }).then(() => undefined), undefined);
    },
    close: async () => {
      if (client.isOpen) await client.close().catch(() => undefined);
      else client.destroy();
    },
  };
};
