import { readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { formatKeyFile, generateKeyPair, keyFileIdentity } from '../crypto/index.js';
import type { Identity } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { writeFileAtomic } from './atomic.js';
import { inputFileError, storeWriteError } from '../fs-errors.js';
import { assertPrivate, assertPrivateIfExists } from './permissions.js';
import type { StoreLayout } from './paths.js';

export interface MachineKey {
  secretKey: string;
  publicKey: string;
  path: string;
  /** what opens files sealed to this key, when the key file was read (made with the one import of its secret key) */
  identity?: Identity;
}

/** Make the store's directories (0700) where missing, and refuse ones that are not private (permissions.ts). */
export async function ensureStoreDirs(layout: StoreLayout): Promise<void> {
  await mkdir(layout.home, { recursive: true, mode: 0o700 });
  await mkdir(layout.credentialsDir, { recursive: true, mode: 0o700 });
  assertStoreDirs(layout);
}

/** The store directory and its credentials directory (followed when it is a link) are this user's, and private. */
export function assertStoreDirs(layout: StoreLayout): void {
  assertPrivateIfExists(layout.home, 'the store directory');
  assertPrivateIfExists(layout.credentialsDir, 'the credentials directory');
}

export async function loadMachineKey(layout: StoreLayout): Promise<MachineKey> {
  let text: string;
  try {
    // Synchronous on purpose: a tiny file on the `token` hot path.
    assertPrivate(layout.keyFile, 'the key file');
    assertStoreDirs(layout);
    text = readFileSync(layout.keyFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HandoffError(message('store.no_key', { path: layout.keyFile }), { code: CODES.BAD_KEY, cause: e });
    }
    if ((e as NodeJS.ErrnoException).code === 'ENOTDIR') {
      throw new HandoffError(message('store.key_not_dir', { path: layout.keyFile, home: layout.home }), { code: CODES.BAD_KEY, cause: e });
    }
    throw inputFileError(e, layout.keyFile, 'the key file');
  }
  const { secretKey, publicKey, identity } = keyFileIdentity(text);
  return { secretKey, publicKey, path: layout.keyFile, identity };
}

/** Make this machine's X25519 key pair. Refuses to replace an existing key unless `force`. */
export async function createMachineKey(layout: StoreLayout, opts: { force?: boolean; now?: Date } = {}): Promise<MachineKey> {
  try {
    await ensureStoreDirs(layout);
  } catch (e) {
    throw storeWriteError(e, layout.home, 'create');
  }
  const { secretKey, publicKey } = generateKeyPair();
  const text = new TextEncoder().encode(formatKeyFile(secretKey, opts.now ?? new Date()));
  try {
    await writeFileAtomic(layout.keyFile, text, { mode: 0o600, exclusive: !opts.force });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new HandoffError(message('store.key_exists', { path: layout.keyFile }), { code: CODES.EXISTS, cause: e });
    }
    throw storeWriteError(e, layout.keyFile, 'write');
  }
  return { secretKey, publicKey, path: layout.keyFile };
}

/** The key, made on first use (import, login) when there is none. */
export async function loadOrCreateMachineKey(layout: StoreLayout): Promise<MachineKey & { created: boolean }> {
  try {
    return { ...(await loadMachineKey(layout)), created: false };
  } catch (e) {
    if (e instanceof HandoffError && e.code === CODES.BAD_KEY && (e.cause as NodeJS.ErrnoException | undefined)?.code === 'ENOENT') {
      try {
        return { ...(await createMachineKey(layout)), created: true };
      } catch (e2) {
        // another process made it first
        if (e2 instanceof HandoffError && e2.code === CODES.EXISTS) return { ...(await loadMachineKey(layout)), created: false };
        throw e2;
      }
    }
    throw e;
  }
}
