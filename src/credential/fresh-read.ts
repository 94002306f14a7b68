/**
 * The lock-free first read of `freshSettings` (refresh.ts) for a directory store, as the `token`
 * fast path (src/fast-token.ts) makes it: the key file, the credential file, and the one refresh
 * rule (freshness.ts). It loads nothing of the rest of FileStore (locks, writes) nor of the
 * refresh: a token that needs nothing else is served from here, and for anything else (a refresh
 * due, a grant marked for re-authorization, any error) the caller runs `freshSettings`, which reads
 * again and decides as always.
 */
import { x25519Identity } from '../crypto/index.js';
import { loadMachineKey, readCredentialFile, storeLayout } from '../settings-file/index.js';
import type { Settings } from '../settings-file/index.js';
import { needsRefresh } from './freshness.js';

/** The settings of NAME in the directory store HOME when `freshSettings` would serve them as they are; else undefined. Throws what the read throws. */
export async function freshInDirectory(home: string, name: string, minValidSeconds: number, now: () => number = Date.now): Promise<Settings | undefined> {
  const layout = storeLayout(home);
  const key = await loadMachineKey(layout);
  const settings = await readCredentialFile(layout, key.identity ?? x25519Identity(key.secretKey), name);
  return needsRefresh(settings, now(), minValidSeconds) ? undefined : settings;
}
