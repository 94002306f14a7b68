export { needsRefresh, refreshDueAt, refreshMarginSeconds, stillValid } from './freshness.js';
export { freshSettings, reauthError, settingsAfterRefresh } from './refresh.js';
export type { FreshOptions, RefreshDeps, RefreshOutcome, TokenRef } from './refresh.js';
export { openStore, openStoreForWriting } from './stores.js';
export type { LocalKeyStore, StoreOptions } from './stores.js';
export { foldTokenResponse } from './token-response.js';
export type { FoldedToken } from './token-response.js';
export { describeCredential } from './status.js';
export type { CredentialStatus } from './status.js';
