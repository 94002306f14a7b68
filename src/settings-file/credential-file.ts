/**
 * Reading one credential file of a directory store: FileStore.read, and the `token` fast path
 * (src/credential/fresh-read.ts), which reads without loading the rest of FileStore.
 */
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { open } from '../crypto/index.js';
import type { Identity } from '../crypto/index.js';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import { inputFileError } from '../fs-errors.js';
import { assertPrivate } from './permissions.js';
import { CREDENTIAL_SUFFIX } from './paths.js';
import type { StoreLayout } from './paths.js';
import { assertValidName, decodeSettings } from './schema.js';
import type { Settings } from './schema.js';

/** Files bigger than this are not settings files; refuse before reading them. */
const MAX_FILE_BYTES = 1 << 20;

/** Where the credential NAME lives; USAGE for a name that is not one. */
export function credentialPath(layout: StoreLayout, name: string): string {
  return join(layout.credentialsDir, assertValidName(name) + CREDENTIAL_SUFFIX);
}

/**
 * The credential NAME of a directory store, opened with `identity` and checked by the schema:
 * NOT_FOUND, PERMISSIONS, BAD_FILE (damaged, tampered, sealed to another machine or named otherwise).
 */
export async function readCredentialFile(layout: StoreLayout, identity: Identity, name: string): Promise<Settings> {
  const path = credentialPath(layout, name);
  let bytes: Buffer;
  try {
    // Synchronous on purpose: a few KB, and the first use of fs/promises costs a cold `token` several ms.
    const st = statSync(path);
    assertPrivate(path, `the credential file of "${name}"`, st);
    if (st.size > MAX_FILE_BYTES) throw new HandoffError(message('store.file_too_large', { path }), { code: CODES.BAD_FILE });
    bytes = readFileSync(path);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new HandoffError(message('store.not_found', { name, dir: layout.credentialsDir }), { code: CODES.NOT_FOUND, credential: name, cause: e });
    }
    throw inputFileError(e, path, `the credential file of "${name}"`);
  }
  let settings: Settings;
  try {
    settings = decodeSettings(await open(bytes, [identity]));
  } catch (e) {
    // a stored copy that does not open: damaged, or not sealed by this machine (another store's file copied in)
    if (e instanceof HandoffError && (e.code === CODES.BAD_FILE || e.code === CODES.DECRYPT_FAILED)) {
      throw new HandoffError(message('store.cannot_open', { name, path, detail: e.key === undefined ? e.message : { key: e.key, ...(e.params ? { params: e.params } : {}), text: e.message } }), { code: CODES.BAD_FILE, credential: name, cause: e });
    }
    throw e;
  }
  if (settings.name !== name) {
    throw new HandoffError(message('store.not_this_one', { where: path, have: settings.name, asked: name }), { code: CODES.BAD_FILE, credential: name });
  }
  return settings;
}
