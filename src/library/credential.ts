import { describeCredential, freshSettings, needsRefresh, openStore, stillValid } from '../credential/index.js';
import { DEFAULT_MIN_VALID_SECONDS } from '../defaults.js';
import { CODES, HandoffError } from '../errors.js';
import type { CredentialStatus } from '../credential/index.js';
import type { HttpClient } from '../oauth/index.js';
import { EnvStore, KEY_ENV, loadMachineKey, resolveHome, SettingsFileStore, storeLayout } from '../settings-file/index.js';
import type { CredentialStore, SealSecrets, Settings } from '../settings-file/index.js';

/** Where the credential lives. */
export type CredentialSource =
  /** a credential in this machine's store (what `oauth-handoff import` made), shared with the CLI and the daemon */
  | { name: string }
  /** one sealed settings file, opened with a key or passphrase and refreshed in place */
  | { file: string }
  /** $OAUTH_HANDOFF_SETTINGS opened with $OAUTH_HANDOFF_KEY or $OAUTH_HANDOFF_PASSPHRASE, held in memory */
  | { env: true };

export interface OpenCredentialOptions {
  /** `{ name }`: the store directory (default: $OAUTH_HANDOFF_HOME, else ~/.config/oauth-handoff) */
  store?: string;
  /** the environment to read (default: process.env) */
  env?: NodeJS.ProcessEnv;
  /** `{ env: true }`: after each refresh, write the updated armored settings to this file */
  writeBack?: string;
  /** `{ file }`: a secret key (`OH-SECRET-KEY-1…`) that opens it (default: $OAUTH_HANDOFF_KEY, else this machine's key) */
  key?: string;
  /** `{ file }`: a passphrase that opens it (default: $OAUTH_HANDOFF_PASSPHRASE) */
  passphrase?: string;
  /** default for accessToken(): refresh when the token expires within this many seconds (default DEFAULT_MIN_VALID_SECONDS, 60) */
  minValid?: number;
  /** how long to wait for another process refreshing the same credential (default DEFAULT_LOCK_TIMEOUT_MS, 60 000 ms) */
  lockTimeoutMs?: number;
  /**
   * When a refresh fails for a passing reason (network, 5xx, 429) while the
   * current token is still valid, that token is returned and this is called;
   * the refresh is tried again after a pause.
   */
  onWarning?: (error: HandoffError) => void;
  /** HTTP client for the token endpoint (default: one made on first refresh; honours HTTPS_PROXY) */
  http?: HttpClient;
  /** the clock, epoch milliseconds (tests) */
  now?: () => number;
}

export interface AccessTokenOptions {
  /** refresh first when the token expires within this many seconds */
  minValid?: number;
}

export interface RefreshOptions {
  /**
   * The access token the resource server just refused (401). When the store
   * already holds a different, valid token (another process refreshed), that
   * one is returned and nothing is refreshed.
   */
  rejected?: string;
}

/** One credential, kept fresh with the same store, lock and refresh rules as the CLI. */
export interface Credential {
  readonly name: string;
  /** A valid access token; refreshes (once, however many callers ask at the same time) when it is about to expire. */
  accessToken(opts?: AccessTokenOptions): Promise<string>;
  /** Refresh now through the write lock, unless another process already replaced `rejected`; the new access token. */
  refresh(opts?: RefreshOptions): Promise<string>;
  /** What `oauth-handoff status --json` says about it; never a token. */
  status(): Promise<CredentialStatus>;
  /** Forget the token held in memory and close the store (a fleet store's connections); later calls fail. */
  close(): Promise<void>;
}

export { DEFAULT_MIN_VALID_SECONDS };
/** pause before trying a failed refresh again while the old token is still served */
const RETRY_PAUSE_MS = 10_000;

interface Cached {
  settings: Settings;
  /** store.version() seen before the settings were read */
  version: string | undefined;
  /** a refresh failed transiently: serve the still-valid token until then */
  holdUntil: number;
}

/**
 * Opens a credential for an application.
 *
 * ```ts
 * const cred = await openCredential({ name: 'redmine' });
 * const token = await cred.accessToken();
 * ```
 */
export async function openCredential(source: CredentialSource, options: OpenCredentialOptions = {}): Promise<Credential> {
  const { store, name } = await storeFor(source, options);
  const credential = new StoreCredential(store, name, options);
  await credential.prime(); // read it once: a missing or unreadable credential fails now, not on first use
  return credential;
}

async function storeFor(source: CredentialSource, o: OpenCredentialOptions): Promise<{ store: CredentialStore; name: string }> {
  const env = o.env ?? process.env;
  if (source === null || typeof source !== 'object') throw usage('openCredential needs { name }, { file } or { env: true }');
  if ('name' in source && typeof source.name === 'string') {
    return { store: await openStore({ store: o.store, env }), name: source.name };
  }
  if ('file' in source && typeof source.file === 'string') {
    const secrets: SealSecrets = {};
    const key = o.key ?? env[KEY_ENV] ?? (await machineKey(o.store, env));
    if (key) secrets.key = key;
    const passphrase = o.passphrase ?? env.OAUTH_HANDOFF_PASSPHRASE;
    if (passphrase) secrets.passphrase = passphrase;
    const store = await SettingsFileStore.open(source.file, secrets);
    return { store, name: store.name };
  }
  if ('env' in source && source.env === true) {
    const store = await EnvStore.fromEnv(env, o.writeBack === undefined ? {} : { writeBack: o.writeBack });
    return { store, name: (await store.list())[0] as string };
  }
  throw usage('openCredential needs { name }, { file } or { env: true }');
}

async function machineKey(store: string | undefined, env: NodeJS.ProcessEnv): Promise<string | undefined> {
  try {
    return (await loadMachineKey(storeLayout(resolveHome(store, env)))).secretKey;
  } catch (e) {
    if (e instanceof HandoffError && e.code === CODES.BAD_KEY) return undefined;
    throw e;
  }
}

function usage(message: string): HandoffError {
  return new HandoffError(message, { code: CODES.USAGE });
}

/**
 * The in-memory side: a token known fresh is returned after one cheap
 * version check of the store (a stat for files, nothing for env); anything
 * else goes through freshSettings, one call in flight per credential.
 */
class StoreCredential implements Credential {
  readonly name: string;
  private readonly store: CredentialStore;
  private readonly o: OpenCredentialOptions;
  private readonly now: () => number;
  private cached: Cached | undefined;
  /** the one load/refresh in flight in this process, and the minValid it serves */
  private loading: { promise: Promise<Cached>; minValid: number } | undefined;
  /** forced refreshes in flight, by the token they replace */
  private readonly replacing = new Map<string, Promise<string>>();
  private closed = false;

  constructor(store: CredentialStore, name: string, o: OpenCredentialOptions) {
    this.store = store;
    this.name = name;
    this.o = o;
    this.now = o.now ?? Date.now;
  }

  private version(): string | undefined | Promise<string | undefined> {
    return this.store.versionSync ? this.store.versionSync(this.name) : this.store.version(this.name);
  }

  /** The one refresh rule (credential/freshness.ts), or a still-valid token held after a failed refresh. */
  private usable(c: Cached, minValid: number, now: number): boolean {
    if (!stillValid(c.settings, now)) return false;
    return !needsRefresh(c.settings, now, minValid) || c.holdUntil > now;
  }

  async accessToken(opts: AccessTokenOptions = {}): Promise<string> {
    if (this.closed) throw usage(`the credential "${this.name}" was closed`);
    const minValid = opts.minValid ?? this.o.minValid ?? DEFAULT_MIN_VALID_SECONDS;
    const c = this.cached;
    if (c !== undefined) {
      let v = this.version();
      if (typeof v === 'object') v = await v;
      if (v === c.version && this.usable(c, minValid, this.now())) return c.settings.token.access_token;
    }
    return this.slow(minValid);
  }

  /** Joins the load in flight when it serves at least this minValid; else loads (freshSettings re-checks under the lock). */
  private async slow(minValid: number): Promise<string> {
    const flight = this.loading;
    if (flight !== undefined && flight.minValid >= minValid) {
      const c = await flight.promise;
      if (stillValid(c.settings, this.now())) return c.settings.token.access_token;
    }
    return (await this.startLoad(minValid)).settings.token.access_token;
  }

  private startLoad(minValid: number): Promise<Cached> {
    const promise: Promise<Cached> = this.load(minValid).finally(() => {
      if (this.loading?.promise === promise) this.loading = undefined;
    });
    this.loading = { promise, minValid };
    return promise;
  }

  async prime(): Promise<void> {
    const version = await this.store.version(this.name);
    this.remember(await this.store.read(this.name), version);
  }

  private async load(minValid: number): Promise<Cached> {
    const r = await freshSettings(this.store, this.name, {
      minValidSeconds: Math.max(0, minValid),
      lockTimeoutMs: this.o.lockTimeoutMs,
      now: this.o.now,
      http: this.o.http,
      serveValidOnFailure: true,
      withVersion: true,
    });
    let holdUntil = 0;
    if (r.warning) {
      const retryAfter = r.warning.oauth?.retryAfter;
      holdUntil = this.now() + (retryAfter !== undefined ? Math.min(retryAfter * 1000, 5 * 60_000) : RETRY_PAUSE_MS);
      this.o.onWarning?.(r.warning);
    }
    return this.remember(r.settings, r.version, holdUntil);
  }

  private remember(settings: Settings, version: string | undefined, holdUntil = 0): Cached {
    const c: Cached = { settings, version, holdUntil };
    if (!this.closed) this.cached = c;
    return c;
  }

  refresh(opts: RefreshOptions = {}): Promise<string> {
    if (this.closed) return Promise.reject(usage(`the credential "${this.name}" was closed`));
    const key = opts.rejected ?? '';
    const inFlight = this.replacing.get(key);
    if (inFlight) return inFlight;
    const p = this.forceRefresh(opts.rejected).finally(() => this.replacing.delete(key));
    this.replacing.set(key, p);
    return p;
  }

  /** A forced refresh through the one refresh rule: skipped when the store already holds another valid token than `rejected`. */
  private async forceRefresh(rejected: string | undefined): Promise<string> {
    const r = await freshSettings(this.store, this.name, {
      ...(rejected === undefined ? { force: true } : { replacing: { access_token: rejected } }),
      lockTimeoutMs: this.o.lockTimeoutMs,
      now: this.o.now,
      http: this.o.http,
      withVersion: true,
    });
    return this.remember(r.settings, r.version).settings.token.access_token;
  }

  async status(): Promise<CredentialStatus> {
    if (this.closed) throw usage(`the credential "${this.name}" was closed`);
    // the same shape as `status --json`
    return describeCredential(await this.store.read(this.name), this.store.description, this.now(), this.o.minValid);
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.cached = undefined;
    await this.store.close();
  }
}
