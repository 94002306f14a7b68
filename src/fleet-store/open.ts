import type { RedisStore, RedisStoreOptions } from './store.js';

/**
 * Opens the fleet store (redis:// or rediss://). The store and ioredis load
 * only here, so nothing on a file store's path pays for them (the `token`
 * bundle loads dist/fast-redis-store.cjs instead: scripts/bundle.mjs).
 */
export async function openRedisStore(o: RedisStoreOptions): Promise<RedisStore> {
  return (await import('./store.js')).RedisStore.open(o);
}
