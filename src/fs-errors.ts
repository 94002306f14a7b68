import { CODES, HandoffError } from './errors.js';
import { message } from './i18n/index.js';
import type { Message, MessageKey } from './i18n/index.js';

/**
 * File-system failures as the toolkit's errors, named for what was wrong and
 * never as a raw Node error ("EACCES … this looks like a bug"). The errno
 * stays in `cause` (the CLI picks its next step from it).
 */
export function errnoOf(e: unknown): string | undefined {
  const code = (e as NodeJS.ErrnoException | undefined)?.code;
  return typeof code === 'string' && /^E[A-Z]+$/.test(code) ? code : undefined;
}

/** Errors of the file system or its permissions that mean "this store cannot be written now". */
const STORE_WRITE = new Set(['EACCES', 'EPERM', 'EROFS', 'ENOSPC', 'EDQUOT', 'EIO', 'EMFILE', 'ENFILE', 'ETXTBSY', 'EBUSY']);

/**
 * Why, as a catalog message (rendered in the user's language inside the sentence), or the raw text
 * for an errno without one. Keys, made into messages only for an error: making one reads the catalog.
 */
const WHY: Readonly<Record<string, Extract<MessageKey, `fs.why.${string}`>>> = {
  EACCES: 'fs.why.eacces',
  EPERM: 'fs.why.eperm',
  EROFS: 'fs.why.erofs',
  ENOSPC: 'fs.why.enospc',
  EDQUOT: 'fs.why.edquot',
  EIO: 'fs.why.eio',
  ENOENT: 'fs.why.enoent',
  ENOTDIR: 'fs.why.enotdir',
  EISDIR: 'fs.why.eisdir',
};

function why(e: unknown): Message | string {
  const code = errnoOf(e);
  const key = code === undefined ? undefined : WHY[code];
  return key !== undefined ? message(key) : ((e as Error)?.message ?? String(e));
}

/** The thing that could not be read, as callers name it: a catalog noun phrase when it is one of the known ones. */
function thing(what: string): Message | string {
  const name = /^the credential file of "(.*)"$/.exec(what)?.[1];
  if (name !== undefined) return message('fs.what.credential_file', { name });
  switch (what) {
    case 'the settings file':
      return message('fs.what.settings_file');
    case 'the key file':
      return message('fs.what.key_file');
    case 'the passphrase file':
      return message('fs.what.passphrase_file');
    case 'the client secret file':
      return message('fs.what.client_secret_file');
    default:
      return what;
  }
}

const DOING = {
  create: (p: { path: string; why: Message | string }) => message('fs.cannot.create', p),
  write: (p: { path: string; why: Message | string }) => message('fs.cannot.write', p),
  remove: (p: { path: string; why: Message | string }) => message('fs.cannot.remove', p),
  sync: (p: { path: string; why: Message | string }) => message('fs.cannot.sync', p),
  lock: (p: { path: string; why: Message | string }) => message('fs.cannot.lock', p),
} as const;
export type StoreDoing = keyof typeof DOING;

/** A file the user named (import FILE, --passphrase-file, a settings file) that cannot be read. */
export function inputFileError(e: unknown, path: string, what: string): HandoffError {
  if (e instanceof HandoffError) return e;
  const code = errnoOf(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new HandoffError(message('fs.not_exist', { what: thing(what), path }), { code: CODES.NOT_FOUND, cause: e });
  if (code === 'EISDIR') return new HandoffError(message('fs.is_dir', { what: thing(what), path }), { code: CODES.NOT_FOUND, cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new HandoffError(message('fs.no_read_access', { what: thing(what), path, why: why(e) }), { code: CODES.PERMISSIONS, cause: e });
  return new HandoffError(message('fs.cannot_read', { what: thing(what), path, why: why(e) }), { code: CODES.INTERNAL, cause: e });
}

/** A write to the store (or a lock in it) that the file system refused. */
export function storeWriteError(e: unknown, path: string, doing: StoreDoing): unknown {
  if (e instanceof HandoffError) return e;
  const code = errnoOf(e);
  if (code !== undefined && STORE_WRITE.has(code)) {
    return new HandoffError(DOING[doing]({ path, why: why(e) }), { code: CODES.STORE_UNAVAILABLE, cause: e });
  }
  if (code === 'ENOTDIR') return new HandoffError(DOING[doing]({ path, why: why(e) }), { code: CODES.USAGE, cause: e });
  return e;
}

/** Run a store write; file-system refusals become STORE_UNAVAILABLE naming `path`. */
export async function writingStore<T>(path: string, doing: StoreDoing, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw storeWriteError(e, path, doing);
  }
}
