import { readFile, stat } from 'node:fs/promises';
import { statSync } from 'node:fs';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { inputFileError } from '../fs-errors.js';
import type { Message } from '../i18n/index.js';
import { writeFileAtomic } from './atomic.js';
import { withFileLock } from './lock.js';
import type { HeldLock, LockOptions } from './lock.js';
import { notThisOne, openSealed, openedLabel, sealAgain } from './sealed.js';
import type { Opened, SealSecrets } from './sealed.js';
import type { Settings } from './schema.js';
import type { CredentialStore } from './store.js';

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
    throw new HandoffError(message('store.remove_file_instead', { name, path: this.path }), { code: CODES.USAGE, credential: name });
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
    if (st.size > MAX_FILE_BYTES) throw new HandoffError(message('store.file_too_large', { path }), { code: CODES.BAD_FILE });
    return await readFile(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HandoffError(message('store.no_settings_file', { path }), { code: CODES.NOT_FOUND, cause: e });
    }
    throw inputFileError(e, path, 'the settings file');
  }
}

