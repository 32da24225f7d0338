// Public API of @os-hypervisors/cache-redis.
export { redisTokenCache, type RedisTokenCacheOptions } from './redis-token-cache.js';
