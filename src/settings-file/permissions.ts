import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { CODES, HandoffError } from '../errors.js';

/**
 * The store is checked the way ssh checks ~/.ssh (StrictModes): the store
 * directory, its credentials directory (after following links), the key file
 * and every credential file must belong to this user (or root) and be closed
 * to group and others. A directory others can write lets them swap in a
 * credential sealed to this machine's public key; a key others can read opens
 * every credential. Each refusal names the path and the command that fixes it.
 */
export function assertPrivate(path: string, what: string, st: Stats = statSync(path)): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
    throw new HandoffError(`${what} ${path} belongs to another user (uid ${st.uid}), not to this one (uid ${uid}); run \`chown ${uid} ${path}\` if it is yours, or use a store of your own`, {
      code: CODES.PERMISSIONS,
    });
  }
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    const want = st.isDirectory() ? '700' : '600';
    const how = (st.mode & 0o022) !== 0 ? 'writable' : 'readable';
    throw new HandoffError(`${what} ${path} is ${how} by group or others (mode ${mode}); run \`chmod ${want} ${path}\``, { code: CODES.PERMISSIONS });
  }
}

/** The same for a directory that may not exist yet (nothing to check then). */
export function assertPrivateIfExists(path: string, what: string): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st !== undefined) assertPrivate(path, what, st);
}
