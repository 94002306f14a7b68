import { CODES, HandoffError } from '../errors.js';
import { EnvStore, FileStore, loadOrCreateMachineKey, observeStore, resolveHome, storeLayout } from '../settings-file/index.js';
import type { CredentialStore, StoreObserver } from '../settings-file/index.js';

export interface StoreOptions {
  /** --store: a directory (later also a shared-store URL) */
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

/** The store for readers (token, status, exec): needs an existing machine key. */
export async function openStore(opts?: StoreOptions & { fromEnv?: false; writeBack?: undefined; observe?: undefined }): Promise<FileStore>;
/** With fromEnv: the env store; with observe: the store seen through the observer. */
export async function openStore(opts?: StoreOptions): Promise<CredentialStore>;
export async function openStore(opts: StoreOptions = {}): Promise<CredentialStore> {
  let store: CredentialStore;
  if (opts.fromEnv) {
    store = await EnvStore.fromEnv(opts.env, { writeBack: opts.writeBack });
  } else {
    if (opts.writeBack !== undefined) throw new HandoffError('writing back settings works only with the credential from the environment (--from-env)', { code: CODES.USAGE });
    const where = resolveHome(opts.store, opts.env);
    if (isUrl(where)) throw new HandoffError(`store URLs are not supported yet: ${where.split('://')[0]}://`, { code: CODES.USAGE });
    store = await FileStore.open(where);
  }
  return opts.observe ? observeStore(store, opts.observe) : store;
}

/** The store for writers (import, login): makes the directories and the machine key on first use. */
export async function openStoreForWriting(opts: StoreOptions = {}): Promise<{ store: FileStore; keyCreated: boolean }> {
  const where = resolveHome(opts.store, opts.env);
  if (isUrl(where)) throw new HandoffError(`store URLs are not supported yet: ${where.split('://')[0]}://`, { code: CODES.USAGE });
  const key = await loadOrCreateMachineKey(storeLayout(where));
  return { store: await FileStore.openForWriting(where, key), keyCreated: key.created };
}

export type { CredentialStore };
