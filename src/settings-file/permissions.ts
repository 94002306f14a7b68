import { statSync } from 'node:fs';
import type { Stats } from 'node:fs';
import { CODES, HandoffError } from '../errors.js';
import { message } from '../i18n/index.js';
import type { Message } from '../i18n/index.js';

/** What is checked, as the caller names it (one catalog sentence per kind). */
export type PrivateThing = 'the store directory' | 'the credentials directory' | 'the key file' | `the credential file of "${string}"`;

const KIND = { 'the store directory': 'store_dir', 'the credentials directory': 'credentials_dir', 'the key file': 'key_file' } as const;

function refusal(what: PrivateThing, how: 'owner' | 'writable' | 'readable', p: { path: string; mode?: string; want?: string; owner?: number; uid?: number }): Message {
  const name = /^the credential file of "(.*)"$/.exec(what)?.[1];
  const kind = name === undefined ? KIND[what as keyof typeof KIND] : 'credential_file';
  const path = p.path;
  if (how === 'owner') {
    const ids = { path, owner: String(p.owner), uid: String(p.uid) };
    return name !== undefined ? message('store.perm.owner.credential_file', { ...ids, name }) : message(`store.perm.owner.${kind as Exclude<typeof kind, 'credential_file'>}`, ids);
  }
  const m = { path, mode: p.mode ?? '', want: p.want ?? '' };
  if (how === 'writable') {
    return name !== undefined ? message('store.perm.writable.credential_file', { ...m, name }) : message(`store.perm.writable.${kind as Exclude<typeof kind, 'credential_file'>}`, m);
  }
  return name !== undefined ? message('store.perm.readable.credential_file', { ...m, name }) : message(`store.perm.readable.${kind as Exclude<typeof kind, 'credential_file'>}`, m);
}

/**
 * The store is checked the way ssh checks ~/.ssh (StrictModes): the store
 * directory, its credentials directory (after following links), the key file
 * and every credential file must belong to this user (or root) and be closed
 * to group and others. A directory others can write lets them swap in a
 * credential sealed to this machine's public key; a key others can read opens
 * every credential. Each refusal names the path and the command that fixes it.
 */
export function assertPrivate(path: string, what: PrivateThing, st: Stats = statSync(path)): void {
  const uid = typeof process.getuid === 'function' ? process.getuid() : undefined;
  if (uid !== undefined && st.uid !== uid && st.uid !== 0) {
    throw new HandoffError(refusal(what, 'owner', { path, owner: st.uid, uid }), {
      code: CODES.PERMISSIONS,
    });
  }
  if ((st.mode & 0o077) !== 0) {
    const mode = (st.mode & 0o777).toString(8).padStart(4, '0');
    const want = st.isDirectory() ? '700' : '600';
    const how = (st.mode & 0o022) !== 0 ? 'writable' : 'readable';
    throw new HandoffError(refusal(what, how, { path, mode, want }), { code: CODES.PERMISSIONS });
  }
}

/** The same for a directory that may not exist yet (nothing to check then). */
export function assertPrivateIfExists(path: string, what: PrivateThing): void {
  const st = statSync(path, { throwIfNoEntry: false });
  if (st !== undefined) assertPrivate(path, what, st);
}
