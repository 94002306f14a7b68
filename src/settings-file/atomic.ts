import { randomBytes } from 'node:crypto';
import { link, open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/**
 * Replace `path` with `data` so that a reader, or a process killed at any
 * moment, sees either the old file or the new one, never a torn one:
 * temp file in the same directory (O_EXCL, the final mode from the start),
 * write, fsync, rename over the target, fsync the directory.
 *
 * write-file-atomic does the first four steps but not the directory fsync,
 * without which the rename itself may be lost on power failure.
 */
export async function writeFileAtomic(
  path: string,
  data: Uint8Array,
  opts: { mode?: number; /** fail with EEXIST instead of replacing */ exclusive?: boolean } = {},
): Promise<void> {
  const mode = opts.mode ?? 0o600;
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`);
  const fh = await open(tmp, 'wx', mode);
  try {
    try {
      await fh.writeFile(data);
      await fh.sync();
    } finally {
      await fh.close();
    }
    if (opts.exclusive) {
      await link(tmp, path);
      await unlink(tmp);
    } else {
      await rename(tmp, path);
    }
  } catch (e) {
    await unlink(tmp).catch(() => undefined);
    throw e;
  }
  await fsyncDir(dir);
}

export async function fsyncDir(dir: string): Promise<void> {
  const d = await open(dir, 'r');
  try {
    await d.sync();
  } finally {
    await d.close();
  }
}

/** A temp file left by a process killed between open and rename. */
export function isTempName(name: string): boolean {
  return name.startsWith('.') && name.endsWith('.tmp');
}
