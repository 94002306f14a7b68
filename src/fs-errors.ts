import { CODES, HandoffError } from './errors.js';

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

const WHY: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'operation not permitted',
  EROFS: 'the file system is read-only',
  ENOSPC: 'no space left on the device',
  EDQUOT: 'the disk quota is exhausted',
  EIO: 'an input/output error',
  ENOENT: 'it does not exist',
  ENOTDIR: 'a part of the path is not a directory',
  EISDIR: 'it is a directory',
};

function why(e: unknown): string {
  const code = errnoOf(e);
  return (code && WHY[code]) ?? (e as Error)?.message ?? String(e);
}

/** A file the user named (import FILE, --passphrase-file, a settings file) that cannot be read. */
export function inputFileError(e: unknown, path: string, what: string): HandoffError {
  if (e instanceof HandoffError) return e;
  const code = errnoOf(e);
  if (code === 'ENOENT' || code === 'ENOTDIR') return new HandoffError(`${what} ${path} does not exist`, { code: CODES.NOT_FOUND, cause: e });
  if (code === 'EISDIR') return new HandoffError(`${what} ${path} is a directory, not a file`, { code: CODES.NOT_FOUND, cause: e });
  if (code === 'EACCES' || code === 'EPERM') return new HandoffError(`${what} ${path} cannot be read by this user (${why(e)})`, { code: CODES.PERMISSIONS, cause: e });
  return new HandoffError(`${what} ${path} cannot be read (${why(e)})`, { code: CODES.INTERNAL, cause: e });
}

/** A write to the store (or a lock in it) that the file system refused. */
export function storeWriteError(e: unknown, path: string, doing: string): unknown {
  if (e instanceof HandoffError) return e;
  const code = errnoOf(e);
  if (code !== undefined && STORE_WRITE.has(code)) {
    return new HandoffError(`cannot ${doing} ${path}: ${why(e)}`, { code: CODES.STORE_UNAVAILABLE, cause: e });
  }
  if (code === 'ENOTDIR') return new HandoffError(`cannot ${doing} ${path}: ${why(e)}`, { code: CODES.USAGE, cause: e });
  return e;
}

/** Run a store write; file-system refusals become STORE_UNAVAILABLE naming `path`. */
export async function writingStore<T>(path: string, doing: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw storeWriteError(e, path, doing);
  }
}
