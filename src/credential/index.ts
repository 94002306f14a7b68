export { applyTokenResponse, freshSettings, isFresh, reauthError, refreshLocked } from './refresh.js';
export type { FreshOptions, RefreshDeps, RefreshOutcome } from './refresh.js';
export { openStore, openStoreForWriting } from './stores.js';
export type { LocalKeyStore, StoreOptions } from './stores.js';
