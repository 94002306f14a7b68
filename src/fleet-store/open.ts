import type { RedisStore, RedisStoreOptions } from './redis-store.js';

/**
 * Opens the fleet store (redis:// or rediss://). The module and ioredis load
 * only here, so nothing on a file store's path pays for them.
 */
export async function openRedisStore(o: RedisStoreOptions): Promise<RedisStore> {
  return (await import('./redis-store.js')).RedisStore.open(o);
}
