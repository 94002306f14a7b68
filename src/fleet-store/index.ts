/**
 * The fleet store: credentials shared by many hosts through one Redis
 * (docs/fleet.md). Only the URL parsing and `openRedisStore` load eagerly;
 * the store itself and its Redis client load when a fleet store is opened.
 */
export { openRedisStore } from './open.js';
export type { RedisStore, RedisStoreOptions } from './store.js';
export type { FleetMember, MemberChange } from './types.js';
export { DEFAULT_LEASE_MS, DEFAULT_REDIS_PREFIX, REDIS_PASSWORD_ENV, isRedisStoreUrl, parseRedisStoreUrl, redactStoreUrl, withRedisPrefix } from './url.js';
export type { RedisTarget } from './url.js';
