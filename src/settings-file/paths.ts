import envPaths from 'env-paths';
import { join } from 'node:path';

export const HOME_ENV = 'OAUTH_HANDOFF_HOME';
/** The store to use: a directory like --store, or a shared store's URL (redis://…). */
export const STORE_ENV = 'OAUTH_HANDOFF_STORE';
export const APP_NAME = 'oauth-handoff';
export const CREDENTIAL_SUFFIX = '.ohs';

/**
 * Where the store lives: --store DIR, else $OAUTH_HANDOFF_STORE (when a
 * directory), else $OAUTH_HANDOFF_HOME, else the platform config dir (on Linux
 * $XDG_CONFIG_HOME/oauth-handoff, normally ~/.config/oauth-handoff). A store
 * URL (redis://…) is not a directory: with one, this is where this machine's
 * key and its cached copies live.
 */
export function resolveHome(explicit?: string, env: NodeJS.ProcessEnv = process.env): string {
  const dir = (s: string | undefined): string | undefined => (s && !/^[a-z][a-z0-9+.-]*:\/\//i.test(s) ? s : undefined);
  return dir(explicit) || (explicit ? undefined : dir(env[STORE_ENV])) || env[HOME_ENV] || envPaths(APP_NAME, { suffix: '' }).config;
}

export interface StoreLayout {
  home: string;
  /** this machine's X25519 identity, 0600 */
  keyFile: string;
  /** one sealed file per credential, 0700 */
  credentialsDir: string;
}

export function storeLayout(home: string): StoreLayout {
  return { home, keyFile: join(home, 'key.txt'), credentialsDir: join(home, 'credentials') };
}
