import { statSync } from 'node:fs';
import { readdir, stat, unlink } from 'node:fs/promises';
import { fingerprint, seal, x25519Identity, x25519Recipient } from '../crypto/index.js';
import type { Identity } from '../crypto/index.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';
import { fsyncDir, isTempName, writeFileAtomic } from './atomic.js';
import { withFileLock } from './lock.js';
import type { HeldLock, LockOptions } from './lock.js';
import { ensureStoreDirs, loadMachineKey } from './machine-key.js';
import { storeWriteError, writingStore } from '../fs-errors.js';
import { credentialPath, readCredentialFile } from './credential-file.js';
import type { MachineKey } from './machine-key.js';
import { CREDENTIAL_SUFFIX, storeLayout } from './paths.js';
import type { StoreLayout } from './paths.js';
import { encodeSettings } from './schema.js';
import type { Settings } from './schema.js';
import type { CredentialStore, WatchTarget } from './store.js';

/**
 * One sealed settings file per credential under `<home>/credentials`, sealed
 * to this machine's X25519 key (`<home>/key.txt`). Directories 0700, files 0600.
 */
export class FileStore implements CredentialStore {
  readonly layout: StoreLayout;
  private readonly key: MachineKey;
  /** opens what is sealed to this machine */
  readonly identity: Identity;

  private constructor(layout: StoreLayout, key: MachineKey) {
    this.layout = layout;
    this.key = key;
    this.identity = key.identity ?? x25519Identity(key.secretKey);
  }

  /** Opens an existing store; BAD_KEY when this machine has no key yet. */
  static async open(home: string): Promise<FileStore> {
    const layout = storeLayout(home);
    return new FileStore(layout, await loadMachineKey(layout));
  }

  /** For writers (import, login): also makes the directories. */
  static async openForWriting(home: string, key: MachineKey): Promise<FileStore> {
    const layout = storeLayout(home);
    await writingStore(layout.credentialsDir, 'create', () => ensureStoreDirs(layout));
    return new FileStore(layout, key);
  }

  get publicKey(): string {
    return this.key.publicKey;
  }

  get label(): readonly Message[] {
    return [message('store.label.file', { dir: this.layout.credentialsDir, fingerprint: fingerprint(this.key.publicKey) })];
  }

  get description(): string {
    return this.label.map((m) => m.text).join('; ');
  }

  pathOf(name: string): string {
    return credentialPath(this.layout, name);
  }

  watchTarget(): WatchTarget {
    return {
      directory: this.layout.credentialsDir,
      nameOf: (f) => (f.endsWith(CREDENTIAL_SUFFIX) && !f.startsWith('.') && !isTempName(f) ? f.slice(0, -CREDENTIAL_SUFFIX.length) : undefined),
    };
  }

  async list(): Promise<string[]> {
    let entries: string[];
    try {
      entries = await readdir(this.layout.credentialsDir);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw e;
    }
    return entries
      .filter((f) => f.endsWith(CREDENTIAL_SUFFIX) && !isTempName(f))
      .map((f) => f.slice(0, -CREDENTIAL_SUFFIX.length))
      .sort();
  }

  read(name: string): Promise<Settings> {
    return readCredentialFile(this.layout, this.identity, name);
  }

  async write(settings: Settings): Promise<void> {
    const path = this.pathOf(settings.name);
    const sealed = await seal(encodeSettings(settings), [x25519Recipient(this.key.publicKey)]);
    await writingStore(path, 'write', () => writeFileAtomic(path, sealed, { mode: 0o600 }));
  }

  async remove(name: string): Promise<boolean> {
    const path = this.pathOf(name);
    try {
      await unlink(path);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw storeWriteError(e, path, 'remove');
    }
    await writingStore(this.layout.credentialsDir, 'sync', () => fsyncDir(this.layout.credentialsDir));
    return true;
  }

  async withWriteLock<T>(name: string, fn: (lock: HeldLock) => Promise<T>, opts?: LockOptions): Promise<T> {
    const path = this.pathOf(name);
    await writingStore(this.layout.credentialsDir, 'create', () => ensureStoreDirs(this.layout));
    // the lock is a directory beside the file: a store this user cannot write has no lock either
    return writingStore(`${path}.lock`, 'lock', () => withFileLock(path, `credential "${name}"`, fn, opts));
  }

  async version(name: string): Promise<string | undefined> {
    try {
      const st = await stat(this.pathOf(name), { bigint: true });
      return `${st.ino}:${st.mtimeNs}:${st.size}`;
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
  }

  versionSync(name: string): string | undefined {
    const st = statSync(this.pathOf(name), { bigint: true, throwIfNoEntry: false });
    return st ? `${st.ino}:${st.mtimeNs}:${st.size}` : undefined;
  }

  /** Nothing is held open: each read and write opens and closes its files. */
  async close(): Promise<void> {}
}
