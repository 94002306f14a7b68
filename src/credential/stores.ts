import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { isRedisStoreUrl, openRedisStore } from '../fleet-store/index.js';
import type { RedisStore } from '../fleet-store/index.js';
import { EnvStore, FileStore, STORE_ENV, loadOrCreateMachineKey, observeStore, resolveHome, storeLayout } from '../settings-file/index.js';
import type { CredentialStore, StoreObserver } from '../settings-file/index.js';

/** A store opened with this machine's key: a directory, or a fleet store (redis://) with this machine as a member. */
export type LocalKeyStore = FileStore | RedisStore;

export interface StoreOptions {
  /** --store: a directory, or a fleet store URL (redis://…, rediss://…); else $OAUTH_HANDOFF_STORE */
  store?: string;
  env?: NodeJS.ProcessEnv;
  /**
   * CI mode (--from-env): the one credential in $OAUTH_HANDOFF_SETTINGS, opened
   * with $OAUTH_HANDOFF_KEY or $OAUTH_HANDOFF_PASSPHRASE, held in memory.
   */
  fromEnv?: boolean;
  /** with fromEnv (--write-back FILE): write the updated armored settings there after every change */
  writeBack?: string;
  /** sees every credential the store reads or writes, before any caller (CI log masking) */
  observe?: StoreObserver;
}

function isUrl(s: string): boolean {
  return /^[a-z][a-z0-9+.-]*:\/\//i.test(s);
}

/** The store URL when the store is a shared one: --store URL, else $OAUTH_HANDOFF_STORE (unless --store names a directory). */
function storeUrl(opts: StoreOptions): string | undefined {
  const where = opts.store || (opts.env ?? process.env)[STORE_ENV];
  if (!where || !isUrl(where)) return undefined;
  if (!isRedisStoreUrl(where)) throw new HandoffError(message('credential.store_url_kind', { scheme: where.split('://')[0] ?? '' }), { code: CODES.USAGE });
  return where;
}

/** The local home beside a shared store: this machine's key and cached copies. */
function localHome(opts: StoreOptions): string {
  return resolveHome(storeUrl(opts) ? undefined : opts.store, opts.env);
}

/** The store for readers (token, status, exec): needs an existing machine key. */
export async function openStore(opts?: StoreOptions & { fromEnv?: false; writeBack?: undefined; observe?: undefined }): Promise<LocalKeyStore>;
/** With fromEnv: the env store; with observe: the store seen through the observer. */
export async function openStore(opts?: StoreOptions): Promise<CredentialStore>;
export async function openStore(opts: StoreOptions = {}): Promise<CredentialStore> {
  let store: CredentialStore;
  if (opts.fromEnv) {
    store = await EnvStore.fromEnv(opts.env, { writeBack: opts.writeBack });
  } else {
    if (opts.writeBack !== undefined) throw new HandoffError(message('credential.write_back_env_only'), { code: CODES.USAGE });
    const url = storeUrl(opts);
    store = url ? await openRedisStore({ url, home: localHome(opts), env: opts.env }) : await FileStore.open(resolveHome(opts.store, opts.env));
  }
  return opts.observe ? observeStore(store, opts.observe) : store;
}

/** The store for writers (import, login): makes the directories and the machine key on first use. */
export async function openStoreForWriting(opts: StoreOptions = {}): Promise<{ store: LocalKeyStore; keyCreated: boolean }> {
  const where = localHome(opts);
  const key = await loadOrCreateMachineKey(storeLayout(where));
  const url = storeUrl(opts);
  const store = url ? await openRedisStore({ url, home: where, key, env: opts.env }) : await FileStore.openForWriting(where, key);
  return { store, keyCreated: key.created };
}

export type { CredentialStore };
