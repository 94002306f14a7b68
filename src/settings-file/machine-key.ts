import { readFileSync, statSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { formatKeyFile, generateKeyPair, parseKeyFile } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { writeFileAtomic } from './atomic.js';
import type { StoreLayout } from './paths.js';

export interface MachineKey {
  secretKey: string;
  publicKey: string;
  path: string;
}

/** Refuse keys and stores that others can read: the key opens every credential. */
export function assertPrivate(path: string, what: string): void {
  const st = statSync(path);
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    throw new HandoffError(`${what} ${path} is accessible by group or others (mode ${mode}); it must be ${st.isDirectory() ? '0700' : '0600'}`, {
      code: CODES.PERMISSIONS,
    });
  }
}

export async function ensureStoreDirs(layout: StoreLayout): Promise<void> {
  await mkdir(layout.home, { recursive: true, mode: 0o700 });
  await mkdir(layout.credentialsDir, { recursive: true, mode: 0o700 });
}

export async function loadMachineKey(layout: StoreLayout): Promise<MachineKey> {
  let text: string;
  try {
    // Synchronous on purpose: a tiny file on the `token` hot path.
    assertPrivate(layout.keyFile, 'key file');
    text = readFileSync(layout.keyFile, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HandoffError(`this machine has no key yet (${layout.keyFile})`, { code: CODES.BAD_KEY, cause: e });
    }
    throw e;
  }
  const { secretKey, publicKey } = parseKeyFile(text);
  return { secretKey, publicKey, path: layout.keyFile };
}

/** Make this machine's X25519 key pair. Refuses to replace an existing key unless `force`. */
export async function createMachineKey(layout: StoreLayout, opts: { force?: boolean; now?: Date } = {}): Promise<MachineKey> {
  await ensureStoreDirs(layout);
  const { secretKey, publicKey } = generateKeyPair();
  const text = new TextEncoder().encode(formatKeyFile(secretKey, opts.now ?? new Date()));
  try {
    await writeFileAtomic(layout.keyFile, text, { mode: 0o600, exclusive: !opts.force });
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') {
      throw new HandoffError(`a machine key already exists at ${layout.keyFile}`, { code: CODES.EXISTS, cause: e });
    }
    throw e;
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
