import { randomUUID } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { redisTokenCache } from '../src/index.js';

// Against the real Redis on 127.0.0.1:6379 (started by .ci/run), under a key prefix of its own.

const url = process.env.OSH_REDIS_URL ?? 'redis://127.0.0.1:6379';
const keyPrefix = `osh-test-${randomUUID()}:`;
const caches: Array<{ close(): Promise<void> }> = [];
afterAll(async () => { await Promise.all(caches.map((c) => c.close())); });

describe('redisTokenCache', () => {
  it('stores under the prefix with a TTL, and two clients see the same entries', async () => {
    const a = await redisTokenCache({ url, keyPrefix });
    const b = await redisTokenCache({ url, keyPrefix });
    caches.push(a, b);
    await a.set('k1', '{"v":1}', 1);
    expect(await b.get('k1')).toBe('{"v":1}');
    expect(await b.get('missing')).toBeNull();
    const other = await redisTokenCache({ url, keyPrefix: `${keyPrefix}other:` });
    caches.push(other);
    expect(await other.get('k1')).toBeNull();
    await new Promise((r) => setTimeout(r, 2100));
    expect(await b.get('k1')).toBeNull();
  });

  it('a Redis that cannot be reached is a miss, quickly, never an error', async () => {
    const down = await redisTokenCache({ url: 'redis://127.0.0.1:1', commandTimeoutMs: 200 });
    caches.push(down);
    await down.set('k', 'v', 10);
    expect(await down.get('k')).toBeNull();
  });
});
