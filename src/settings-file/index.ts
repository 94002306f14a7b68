export { writeFileAtomic } from './atomic.js';
export { EnvStore, KEY_ENV, PASSPHRASE_ENV, SETTINGS_ENV } from './env-store.js';
export type { EnvStoreOptions } from './env-store.js';
export { SettingsFileStore } from './settings-file-store.js';
export type { SealSecrets } from './sealed.js';
export { observeStore } from './observe.js';
export type { StoreObserver } from './observe.js';
export { FileStore } from './file-store.js';
export { credentialPath, readCredentialFile } from './credential-file.js';
export { DEFAULT_LOCK_TIMEOUT_MS, FOREIGN_STALE_MS, HEARTBEAT_MS, STALE_MS, lockHolder, withFileLock } from './lock.js';
export type { HeldLock, LockHolder, LockOptions } from './lock.js';
export { assertStoreDirs, createMachineKey, ensureStoreDirs, loadMachineKey, loadOrCreateMachineKey } from './machine-key.js';
export { assertPrivate, assertPrivateIfExists } from './permissions.js';
export type { MachineKey } from './machine-key.js';
export { APP_NAME, CREDENTIAL_SUFFIX, HOME_ENV, STORE_ENV, resolveHome, storeLayout } from './paths.js';
export type { StoreLayout } from './paths.js';
export {
  GRANT_ID_PATTERN,
  NAME_PATTERN,
  SETTINGS_FORMAT,
  SETTINGS_VERSION,
  VSCHAR_PATTERN,
  assertValidName,
  decodeSettings,
  encodeSettings,
  secondsLeft,
  tokenJson,
  validateSettings,
} from './schema.js';
export type { ClientAuthMethod, HealthState, Settings, SettingsClient, SettingsEndpoints, SettingsGrant, SettingsHealth, SettingsToken } from './schema.js';
export type { CredentialLocation, CredentialStore, WatchTarget, WriteOptions } from './store.js';
