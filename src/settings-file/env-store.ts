import { readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import {
  armor,
  decodeSettingsInput,
  fingerprint,
  open,
  parseKeyFile,
  passphraseIdentity,
  passphraseRecipient,
  publicKeyFromSecret,
  readHeader,
  seal,
  x25519Identity,
  x25519Recipient,
} from '../crypto/index.js';
import type { Identity, Recipient, RecipientInfo } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { inputFileError } from '../fs-errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import { writeFileAtomic } from './atomic.js';
import { DEFAULT_LOCK_TIMEOUT_MS, withFileLock } from './lock.js';
import type { HeldLock, LockOptions } from './lock.js';
import { decodeSettings, encodeSettings } from './schema.js';
import type { Settings } from './schema.js';
import type { CredentialStore } from './store.js';

/** CI mode: the armored settings block. */
export const SETTINGS_ENV = 'OAUTH_HANDOFF_SETTINGS';
/** CI mode: a secret key as printed by `keygen --export-private` (or a whole key file). */
export const KEY_ENV = 'OAUTH_HANDOFF_KEY';
/** CI mode (and import/export): the passphrase of a passphrase-sealed block. */
export const PASSPHRASE_ENV = 'OAUTH_HANDOFF_PASSPHRASE';

/** What opens a sealed settings block: a secret key, a passphrase, or both. */
export interface SealSecrets {
  /** `OH-SECRET-KEY-1…`, or a whole key file as written by `keygen` */
  key?: string;
  passphrase?: string;
}

/** One credential that arrived sealed, and how to seal it again for the same readers. */
interface Opened {
  settings: Settings;
  /** the first bytes were the armored text form */
  armored: boolean;
  /** the original recipients this process can seal to again */
  recipients: Recipient[];
  /** original recipients it cannot reproduce (another machine's key, a passphrase it was not given) */
  lost: RecipientInfo[];
  /** how it was opened, for `status`: the fingerprint of the key used, and whether a passphrase was */
  openedWith: { key?: string; passphrase: boolean };
}

/** "… opened with key 0123…", "… with a passphrase", "… with key 0123… and a passphrase": whole sentences, one per case. */
function openedLabel(
  what: 'store.label.env' | 'store.label.settings_file',
  where: { variable: string } | { path: string },
  o: Opened['openedWith'],
): Message {
  const place = 'variable' in where ? where.variable : where.path;
  if (what === 'store.label.env') {
    if (o.key !== undefined && o.passphrase) return message('store.label.env.key_and_passphrase', { variable: place, fingerprint: o.key });
    if (o.key !== undefined) return message('store.label.env.key', { variable: place, fingerprint: o.key });
    return message('store.label.env.passphrase', { variable: place });
  }
  if (o.key !== undefined && o.passphrase) return message('store.label.settings_file.key_and_passphrase', { path: place, fingerprint: o.key });
  if (o.key !== undefined) return message('store.label.settings_file.key', { path: place, fingerprint: o.key });
  return message('store.label.settings_file.passphrase', { path: place });
}

function secretKeyOf(text: string): string {
  const trimmed = text.trim();
  // a whole key file (comment lines + the key) is accepted as well as the bare key line
  return trimmed.includes('\n') ? parseKeyFile(trimmed + '\n').secretKey : trimmed;
}

async function openSealed(input: Uint8Array, secrets: SealSecrets, where: string): Promise<Opened> {
  const sealed = decodeSettingsInput(input);
  const armored = sealed !== input;
  const header = readHeader(sealed);
  const identities: Identity[] = [];
  let ourPublicKey: string | undefined;
  if (secrets.key !== undefined) {
    const secretKey = secretKeyOf(secrets.key);
    ourPublicKey = publicKeyFromSecret(secretKey);
    identities.push(x25519Identity(secretKey));
  }
  if (secrets.passphrase !== undefined && secrets.passphrase !== '') identities.push(passphraseIdentity(secrets.passphrase));
  if (identities.length === 0) {
    throw new HandoffError(`no key or passphrase was given to open ${where}`, { code: CODES.BAD_KEY });
  }
  const ourFp = ourPublicKey ? fingerprint(ourPublicKey) : undefined;
  const settings = decodeSettings(await open(sealed, identities));

  const recipients: Recipient[] = [];
  const lost: RecipientInfo[] = [];
  const used: Opened['openedWith'] = { passphrase: false };
  for (const r of header.recipients) {
    if (r.type === 'X25519' && 'fingerprint' in r && ourPublicKey !== undefined && r.fingerprint === ourFp) {
      recipients.push(x25519Recipient(ourPublicKey));
      used.key = ourFp;
    } else if (r.type === 'argon2id' && 'opsLimit' in r && secrets.passphrase) {
      recipients.push(passphraseRecipient(secrets.passphrase, { opsLimit: r.opsLimit, memLimit: r.memLimit }));
      used.passphrase = true;
    } else lost.push(r);
  }
  return { settings, armored, recipients, lost, openedWith: used };
}

async function sealAgain(settings: Settings, o: Opened, armored: boolean): Promise<Uint8Array> {
  const sealed = await seal(encodeSettings(settings), o.recipients);
  return armored ? new TextEncoder().encode(armor(sealed)) : sealed;
}

function notThisOne(have: string, asked: string, where: string): HandoffError {
  return new HandoffError(`${where} holds the credential "${have}", not "${asked}"`, { code: CODES.NOT_FOUND, credential: asked });
}

/**
 * An in-process writer lock: one writer at a time within this process, in
 * call order. Enough where the credential lives in this process only.
 */
class Mutex {
  private tail: Promise<void> = Promise.resolve();
  private busy = 0;

  async run<T>(what: string, fn: (lock: HeldLock) => Promise<T>, opts: LockOptions = {}): Promise<T> {
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
        throw new HandoffError(`timed out after ${Math.round(timeoutMs / 1000)} s waiting for the lock on ${what}`, { code: CODES.LOCK_TIMEOUT });
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
      throw new HandoffError(`${SETTINGS_ENV} is not set: it must hold the armored settings block`, { code: CODES.USAGE });
    }
    const key = env[KEY_ENV];
    const passphrase = env[PASSPHRASE_ENV];
    if (!key?.trim() && !passphrase) {
      throw new HandoffError(`neither ${KEY_ENV} nor ${PASSPHRASE_ENV} is set: one of them must open ${SETTINGS_ENV}`, { code: CODES.BAD_KEY });
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
          `cannot write the updated settings to ${this.writeBack}: ${(e as Error).message}${rotated ? `; the provider has replaced the refresh token, so the one in ${SETTINGS_ENV} may no longer work` : ''}`,
          { code: CODES.STORE_UNAVAILABLE, cause: e, credential: settings.name },
        );
      }
    }
  }

  async remove(name: string): Promise<boolean> {
    throw new HandoffError(`the credential "${name}" comes from ${SETTINGS_ENV} and cannot be removed`, { code: CODES.USAGE, credential: name });
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

/** Files bigger than this are not settings files. */
const MAX_FILE_BYTES = 1 << 20;

/**
 * One sealed settings file anywhere on disk, opened with a key or passphrase
 * and refreshed in place (the library's `openCredential({ file })`). Same
 * rules as the file store: reads lock-free, writes atomic under a lock file
 * next to it, so several processes using one file refresh it once.
 */
export class SettingsFileStore implements CredentialStore {
  readonly path: string;
  readonly name: string;
  private readonly opened: Opened;
  private readonly secrets: SealSecrets;

  private constructor(path: string, opened: Opened, secrets: SealSecrets) {
    this.path = path;
    this.opened = opened;
    this.name = opened.settings.name;
    this.secrets = secrets;
  }

  static async open(path: string, secrets: SealSecrets): Promise<SettingsFileStore> {
    return new SettingsFileStore(path, await openSealed(await readBounded(path), secrets, path), secrets);
  }

  get label(): readonly Message[] {
    return [openedLabel('store.label.settings_file', { path: this.path }, this.opened.openedWith)];
  }

  get description(): string {
    return this.label.map((m) => m.text).join('; ');
  }

  async list(): Promise<string[]> {
    return [this.name];
  }

  async read(name: string): Promise<Settings> {
    if (name !== this.name) throw notThisOne(this.name, name, this.path);
    const { settings } = await openSealed(await readBounded(this.path), this.secrets, this.path);
    if (settings.name !== this.name) throw notThisOne(settings.name, name, this.path);
    return settings;
  }

  async write(settings: Settings): Promise<void> {
    if (settings.name !== this.name) throw notThisOne(this.name, settings.name, this.path);
    await writeFileAtomic(this.path, await sealAgain(settings, this.opened, this.opened.armored), { mode: 0o600 });
  }

  async remove(name: string): Promise<boolean> {
    throw new HandoffError(`the credential "${name}" is the settings file ${this.path}; remove the file instead`, { code: CODES.USAGE, credential: name });
  }

  withWriteLock<T>(name: string, fn: (lock: HeldLock) => Promise<T>, opts?: LockOptions): Promise<T> {
    return withFileLock(this.path, `settings file ${this.path}`, fn, opts);
  }

  async version(name: string): Promise<string | undefined> {
    if (name !== this.name) return undefined;
    try {
      const st = await stat(this.path, { bigint: true });
      return `${st.ino}:${st.mtimeNs}:${st.size}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  versionSync(name: string): string | undefined {
    if (name !== this.name) return undefined;
    const st = statSync(this.path, { bigint: true, throwIfNoEntry: false });
    return st ? `${st.ino}:${st.mtimeNs}:${st.size}` : undefined;
  }

  /** Nothing is held open. */
  async close(): Promise<void> {}
}

async function readBounded(path: string): Promise<Uint8Array> {
  try {
    const st = await stat(path);
    if (st.size > MAX_FILE_BYTES) throw new HandoffError(`${path} is too large to be a settings file`, { code: CODES.BAD_FILE });
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HandoffError(`no settings file at ${path}`, { code: CODES.NOT_FOUND, cause: e });
    }
    throw inputFileError(e, path, 'the settings file');
  }
}

/** Sees every settings value a store hands out or takes in, before any caller does. */
export type StoreObserver = (settings: Settings, event: 'read' | 'write') => void;

/**
 * A store that tells `observe` about each credential it reads or writes, e.g.
 * to mask tokens in a CI log before anything can print them.
 */
export function observeStore(store: CredentialStore, observe: StoreObserver): CredentialStore {
  const observed: CredentialStore = {
    get description() {
      return store.description;
    },
    get label() {
      return store.label;
    },
    list: () => store.list(),
    read: async (name) => {
      const s = await store.read(name);
      observe(s, 'read');
      return s;
    },
    write: async (settings, o) => {
      observe(settings, 'write');
      await store.write(settings, o);
    },
    remove: (name) => store.remove(name),
    withWriteLock: (name, fn, opts) => store.withWriteLock(name, fn, opts),
    version: (name) => store.version(name),
    close: () => store.close(),
  };
  if (store.versionSync) {
    const sync = store.versionSync.bind(store);
    observed.versionSync = (name) => sync(name);
  }
  if (store.locate) {
    const locate = store.locate.bind(store);
    observed.locate = (name) => locate(name);
  }
  return observed;
}
