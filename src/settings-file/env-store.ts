import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import { writeFileAtomic } from './atomic.js';
import { DEFAULT_LOCK_TIMEOUT_MS, lockTimeout } from './lock.js';
import type { RecipientInfo } from '../crypto/index.js';
import type { HeldLock, LockOptions, LockSubject } from './lock.js';
import { notThisOne, openSealed, openedLabel, sealAgain } from './sealed.js';
import type { Opened, SealSecrets } from './sealed.js';
import { encodeSettings } from './schema.js';
import type { Settings } from './schema.js';
import type { CredentialStore } from './store.js';

/** CI mode: the armored settings block. */
export const SETTINGS_ENV = 'OAUTH_HANDOFF_SETTINGS';
/** CI mode: a secret key as printed by `keygen --export-private` (or a whole key file). */
export const KEY_ENV = 'OAUTH_HANDOFF_KEY';
/** CI mode (and import/export): the passphrase of a passphrase-sealed block. */
export const PASSPHRASE_ENV = 'OAUTH_HANDOFF_PASSPHRASE';

/**
 * An in-process writer lock: one writer at a time within this process, in
 * call order. Enough where the credential lives in this process only.
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private busy = 0;

  async run<T>(what: LockSubject, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
    const before = this.tail;
    let release!: () => void;
    this.tail = new Promise<void>((r) => (release = r));
    if (this.busy > 0) opts.onWait?.();
    this.busy++;
    try {
      const timeoutMs = opts.timeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS;
      let timer: NodeJS.Timeout | undefined;
      const timedOut = new Promise<'timeout'>((r) => (timer = setTimeout(() => r('timeout'), timeoutMs)));
      const won = await Promise.race([before.then(() => 'ok' as const), timedOut]);
      clearTimeout(timer);
      if (won === 'timeout') {
        // keep the order: our turn passes on once the holder is done
        void before.then(release);
        throw new HandoffError(lockTimeout(what, timeoutMs), { code: CODES.LOCK_TIMEOUT });
      }
      try {
        return await fn({ held: true });
      } finally {
        release();
      }
    } finally {
      this.busy--;
    }
  }
}

export interface EnvStoreOptions {
  /** write the updated armored settings to this file after every change (`--write-back`) */
  writeBack?: string;
}

/**
 * CI mode: one credential from environment variables, held in memory.
 * OAUTH_HANDOFF_SETTINGS (the armored block) opened with OAUTH_HANDOFF_KEY
 * and/or OAUTH_HANDOFF_PASSPHRASE. Writes change the copy in memory and,
 * with `writeBack`, replace that file atomically with the new armored
 * settings, sealed again to the recipients it came with that this process can
 * reproduce. Nothing else touches the disk; the write lock is in-process.
 */
export class EnvStore implements CredentialStore {
  private current: Settings;
  private generation = 0;
  private readonly opened: Opened;
  private readonly mutex = new Mutex();
  readonly writeBack?: string;

  private constructor(opened: Opened, opts: EnvStoreOptions) {
    this.opened = opened;
    this.current = opened.settings;
    if (opts.writeBack !== undefined) this.writeBack = opts.writeBack;
  }

  /** From OAUTH_HANDOFF_SETTINGS + OAUTH_HANDOFF_KEY / OAUTH_HANDOFF_PASSPHRASE in `env`. */
  static async fromEnv(env: NodeJS.ProcessEnv = process.env, opts: EnvStoreOptions = {}): Promise<EnvStore> {
    const text = env[SETTINGS_ENV];
    if (text === undefined || text.trim() === '') {
      throw new HandoffError(message('store.env_not_set', { variable: SETTINGS_ENV }), { code: CODES.USAGE });
    }
    const key = env[KEY_ENV];
    const passphrase = env[PASSPHRASE_ENV];
    if (!key?.trim() && !passphrase) {
      throw new HandoffError(message('store.env_no_secret', { key_variable: KEY_ENV, passphrase_variable: PASSPHRASE_ENV, variable: SETTINGS_ENV }), { code: CODES.BAD_KEY });
    }
    const secrets: SealSecrets = {};
    if (key?.trim()) secrets.key = key;
    if (passphrase) secrets.passphrase = passphrase;
    return EnvStore.fromText(text, secrets, opts);
  }

  /** From an armored block (or the binary file) and what opens it. */
  static async fromText(text: string | Uint8Array, secrets: SealSecrets, opts: EnvStoreOptions = {}): Promise<EnvStore> {
    const bytes = typeof text === 'string' ? new TextEncoder().encode(text) : text;
    return new EnvStore(await openSealed(bytes, secrets, SETTINGS_ENV), opts);
  }

  /** Recipients of the original block that a write-back cannot include. */
  get lostRecipients(): readonly RecipientInfo[] {
    return this.opened.lost;
  }

  get label(): readonly Message[] {
    const label = [openedLabel('store.label.env', { variable: SETTINGS_ENV }, this.opened.openedWith)];
    const n = this.opened.lost.length;
    if (n === 1) label.push(message('store.label.lost_recipient'));
    else if (n > 1) label.push(message('store.label.lost_recipients', { count: n }));
    label.push(this.writeBack ? message('store.label.write_back', { file: this.writeBack }) : message('store.label.in_memory'));
    return label;
  }

  get description(): string {
    return this.label.map((m) => m.text).join('; ');
  }

  async list(): Promise<string[]> {
    return [this.current.name];
  }

  async read(name: string): Promise<Settings> {
    if (name !== this.current.name) throw notThisOne(this.current.name, name, SETTINGS_ENV);
    return this.current;
  }

  async write(settings: Settings): Promise<void> {
    if (settings.name !== this.current.name) throw notThisOne(this.current.name, settings.name, SETTINGS_ENV);
    encodeSettings(settings); // validates, as a file store's write would
    // memory first: this process keeps the newest tokens even if the write-back fails
    this.current = settings;
    this.generation++;
    if (this.writeBack !== undefined) {
      // armored, whatever the input was: the file is meant to become the next secret value
      const sealed = await sealAgain(settings, this.opened, true);
      try {
        await writeFileAtomic(this.writeBack, sealed, { mode: 0o600 });
      } catch (e) {
        const rotated = settings.token.refresh_token !== this.opened.settings.token.refresh_token;
        throw new HandoffError(
          rotated
            ? message('store.write_back_failed_rotated', { path: this.writeBack, detail: (e as Error).message, variable: SETTINGS_ENV })
            : message('store.write_back_failed', { path: this.writeBack, detail: (e as Error).message }),
          { code: CODES.STORE_UNAVAILABLE, cause: e, credential: settings.name },
        );
      }
    }
  }

  async remove(name: string): Promise<boolean> {
    throw new HandoffError(message('store.env_cannot_remove', { name, variable: SETTINGS_ENV }), { code: CODES.USAGE, credential: name });
  }

  withWriteLock<T>(name: string, fn: (lock: HeldLock) => Promise<T>, opts?: LockOptions): Promise<T> {
    return this.mutex.run(`credential "${name}"`, fn, opts);
  }

  async version(name: string): Promise<string | undefined> {
    return this.versionSync(name);
  }

  versionSync(name: string): string | undefined {
    return name === this.current.name ? `env:${this.generation}` : undefined;
  }

  /** Nothing is held open. */
  async close(): Promise<void> {}
}

